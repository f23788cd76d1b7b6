# docker-py (Debian's python3-docker), unmodified, against a skiffd: prints one "key value" line per check,
# which DockerPyIT compares with what dockerd 20.10 printed for the same script.
import io
import sys
import tarfile
import time

import docker

c = docker.DockerClient(base_url=sys.argv[1], version="auto")
print("ping", c.ping())
print("run", c.containers.run("busybox", ["sh", "-c", "echo hi; echo err >&2"], network_mode="none",
                              remove=True, stderr=True))
ctr = c.containers.run("busybox", ["sleep", "100"], detach=True, network_mode="none", name="py1",
                       labels={"a": "b"}, environment={"X": "1"})
ctr.reload()
print("status", ctr.status, ctr.labels, ctr.name)
r = ctr.exec_run(["sh", "-c", "echo $X; exit 3"])
print("exec", r.exit_code, r.output)
print("demux", ctr.exec_run(["sh", "-c", "echo o; echo e >&2"], demux=True).output)
print("top", ctr.top()["Titles"][:2])
st = ctr.stats(stream=False)
print("stats", sorted(k for k in st if k in ("cpu_stats", "memory_stats", "pids_stats")))
bits, stat = ctr.get_archive("/etc/hostname")
print("get_archive", stat["name"], len(b"".join(bits)) > 0)
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    ti = tarfile.TarInfo("f.txt")
    ti.size = 3
    t.addfile(ti, io.BytesIO(b"abc"))
print("put_archive", ctr.put_archive("/tmp", buf.getvalue()), ctr.exec_run("cat /tmp/f.txt").output)
ctr.pause()
ctr.reload()
print("paused", ctr.status)
ctr.unpause()
ctr.stop(timeout=1)
ctr.reload()
print("stopped", ctr.status, ctr.attrs["State"]["ExitCode"])
print("wait", ctr.wait(timeout=5)["StatusCode"])
ctr.remove()
img, logs = c.images.build(fileobj=io.BytesIO(b"FROM busybox\nRUN echo built > /b\nCMD [\"cat\", \"/b\"]\n"),
                           tag="pybuilt:1", rm=True)
print("build", img.tags, [l["stream"].strip() for l in logs if l.get("stream", "").startswith("Step")])
print("run_built", c.containers.run("pybuilt:1", network_mode="none", remove=True))
v = c.volumes.create("pyvol", labels={"k": "v"})
print("volume", v.name, v.attrs["Driver"], v.attrs["Labels"])
v.remove()
try:
    c.containers.get("nosuch")
except docker.errors.NotFound as e:
    print("container_not_found", e.status_code)
try:
    c.images.get("nosuch:1")
except docker.errors.ImageNotFound as e:
    print("image_not_found", e.status_code)
actions = {e["Action"] for e in c.events(decode=True, since=0, until=int(time.time()) + 1)}
print("events", sorted(a for a in actions if a in ("create", "start", "die", "destroy", "pause", "unpause", "tag")))
c.images.remove("pybuilt:1")
print("images", sorted(t for i in c.images.list() for t in i.tags))
