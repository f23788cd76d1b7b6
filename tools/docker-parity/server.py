import json, os, socketserver, sys, time
from http.server import BaseHTTPRequestHandler
NOW = int(time.time())
ID = "4a7f7eebae0f63178aff7eb0aa39cd3f0627a203ab2df258c1a00b456cf20063"
DATA = {
 "/containers/json": [
   {"Id": ID, "Names": ["/web"], "Image": "busybox", "ImageID": "sha256:beef00000000000000", "Command": "sh -c 'while true; do sleep 1; done'",
    "Created": NOW - 5, "Ports": [{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},{"IP":"::","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},{"PrivatePort":53,"Type":"udp"},{"PrivatePort":100,"Type":"tcp"},{"PrivatePort":101,"Type":"tcp"}],
    "State": "running", "Status": "Up 3 seconds", "Labels": {"b":"2","a":"1"}, "SizeRw": 12000, "SizeRootFs": 4300000,
    "Mounts": [{"Name":"data","Source":"/var/lib/x","Driver":"local"}], "NetworkSettings": {"Networks": {"bridge": {}}}},
   {"Id": "b"*64, "Names": ["/db","/web/db"], "Image": "docker.io/library/alpine:3.19@sha256:" + "c"*64, "ImageID": "sha256:" + "d"*64,
    "Command": "/docker-entrypoint.sh postgres", "Created": NOW - 7200, "Ports": [], "State": "exited", "Status": "Exited (0) 2 minutes ago", "Labels": {}}
 ],
 "/images/json": [
   {"Id": "sha256:" + "a"*64, "RepoTags": ["busybox:latest", "busybox:1.36", "localhost:5000/me/busybox:v1"], "RepoDigests": ["busybox@sha256:" + "e"*64],
    "Created": NOW - 3*86400, "Size": 4261000, "SharedSize": -1, "Containers": -1, "ParentId": "", "Labels": None},
   {"Id": "sha256:" + "f"*64, "RepoTags": [], "RepoDigests": [], "Created": NOW - 40*86400, "Size": 1000, "SharedSize": -1, "Containers": -1, "ParentId": "", "Labels": None}
 ],
 "/images/busybox/history": [
   {"Id": "sha256:" + "a"*64, "Created": NOW - 120, "CreatedBy": "/bin/sh -c #(nop)  CMD [\"sh\"]", "Tags": ["busybox:latest"], "Size": 0, "Comment": ""},
   {"Id": "<missing>", "Created": NOW - 125, "CreatedBy": "/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789 in / ", "Tags": None, "Size": 4261000, "Comment": "imported\tx"}
 ],
 "/system/df": {"LayersSize": 4262000, "Images": [{"Id": "sha256:" + "a"*64, "RepoTags": ["busybox:latest"], "Containers": 1, "Size": 4261000, "SharedSize": 0, "Created": NOW-100, "RepoDigests": []}],
   "Containers": [{"Id": ID, "Names": ["/web"], "Image":"busybox", "Command":"sh", "State":"exited", "Status":"Exited (0) 1 minute ago", "SizeRw": 212, "Created": NOW-100, "Mounts": [], "Ports": []}],
   "Volumes": [{"Name":"data","Driver":"local","Mountpoint":"/x","UsageData":{"Size":36,"RefCount":1}}], "BuildCache": []},
 "/containers/web/top": {"Titles": ["UID","PID","PPID","C","STIME","TTY","TIME","CMD"], "Processes": [["root","4242","4200","0","12:00","?","00:00:00","sleep 100"]]},
 "/containers/web/json": {"Id": ID, "Name": "/web", "Config": {"Tty": False, "Labels": {"a":"1"}, "Env": ["A=1"]}, "State": {"Status":"running","Running":True,"Health":None},
   "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}], "53/udp": None}}, "Mounts": []},
 "/containers/web/changes": [{"Path":"/etc","Kind":0},{"Path":"/etc/x","Kind":1}],
 "/containers/web/stats": {"id": ID, "name": "/web", "read": "2026-01-01T00:00:00Z", "preread": "2026-01-01T00:00:00Z",
   "cpu_stats":{"cpu_usage":{"total_usage":300000000},"system_cpu_usage":2000000000,"online_cpus":2},
   "precpu_stats":{"cpu_usage":{"total_usage":100000000},"system_cpu_usage":1000000000},
   "memory_stats":{"usage":2097152,"limit":8388608,"stats":{"inactive_file":524288}},
   "networks":{"eth0":{"rx_bytes":1000,"tx_bytes":2000}},
   "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"read","value":4096},{"major":8,"minor":0,"op":"write","value":8192}]},
   "pids_stats":{"current":3}},
 "/images/busybox": [{"Untagged":"busybox:latest"},{"Deleted":"sha256:" + "a"*64}],
 "/containers/prune": {"ContainersDeleted": [ID], "SpaceReclaimed": 212},
 "/images/prune": {"ImagesDeleted": [{"Untagged":"busybox:old"},{"Deleted":"sha256:" + "9"*64}], "SpaceReclaimed": 4261000},
 "/networks/prune": {"NetworksDeleted": ["mynet"]},
 "/volumes/prune": {"VolumesDeleted": ["vol1"], "SpaceReclaimed": 36},
 "/build/prune": {"CachesDeleted": [], "SpaceReclaimed": 0},
 "/containers/web/wait": {"StatusCode": 3},
 "/containers/web/stop": None, "/containers/web/kill": None, "/containers/web/start": None, "/containers/web/pause": None, "/containers/web/restart": None,
 "/containers/web": None,
 "/commit": {"Id": "sha256:" + "7"*64},
 "/info": {"ID":"x","Containers":2,"ContainersRunning":1,"ContainersPaused":0,"ContainersStopped":1,"Images":3,"Driver":"overlay2","ServerVersion":"0.1.0","NCPU":2,"MemTotal":8000000000,"Name":"host","Labels":[]},
 "/containers/create": {"Id": ID, "Warnings": []},
 "/containers/" + ID + "/start": None,
 "/containers/" + ID + "/wait": {"StatusCode": 3},
 "/containers/" + ID + "/resize": None,
 "/containers/web/exec": {"Id": "e1"},
 "/volumes": {"Volumes": [{"Name":"zdata","Driver":"local","Mountpoint":"/var/lib/skiff/volumes/zdata/_data","Labels":{"b":"2","a":"1"},"Scope":"local","CreatedAt":"2026-01-01T00:00:00Z","Options":None},
                          {"Name":"adata","Driver":"local","Mountpoint":"/x","Labels":None,"Scope":"local","CreatedAt":"2026-01-01T00:00:00Z","Options":None}], "Warnings": None},
 "/volumes/create": {"Name":"newvol","Driver":"local","Mountpoint":"/x","Labels":{},"Scope":"local"},
 "/volumes/zdata": {"Name":"zdata","Driver":"local","Mountpoint":"/x","Labels":{"a":"1"},"Scope":"local","CreatedAt":"2026-01-01T00:00:00Z","Options":{}},
 "/networks": [{"Name":"bridge","Id":"1"*64,"Created":"2026-01-01T00:00:00Z","Scope":"local","Driver":"bridge","EnableIPv6":False,"Internal":False,"Labels":{}},
               {"Name":"app","Id":"2"*64,"Created":"2026-01-01T00:00:00Z","Scope":"local","Driver":"bridge","EnableIPv6":True,"Internal":True,"Labels":{"x":"y"}}],
 "/networks/create": {"Id": "3"*64, "Warning": ""},
 "/networks/app": {"Name":"app","Id":"2"*64,"Driver":"bridge","Labels":{"x":"y"}},
 "/networks/app/connect": None, "/networks/app/disconnect": None,
 "/version": {"Platform":{"Name":"Skiff Engine"},"Components":[{"Name":"Engine","Version":"0.1.0","Details":{"ApiVersion":"1.50","MinAPIVersion":"1.24","GoVersion":"java25","GitCommit":"abc","BuildTime":"today","Os":"linux","Arch":"amd64","Experimental":"false","KernelVersion":"6.1"}},{"Name":"runc","Version":"1.1.5","Details":{"GitCommit":"v1.1.5"}}],
   "Version":"0.1.0","ApiVersion":"1.50","MinAPIVersion":"1.24","GoVersion":"java25","GitCommit":"abc","Os":"linux","Arch":"amd64","BuildTime":"today"},
}
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def address_string(self): return "unix"
    def log_message(self, *a): pass
    def reply(self):
        length = int(self.headers.get("Content-Length") or 0)
        reqbody = self.rfile.read(length) if length else b""
        if self.headers.get("Transfer-Encoding") == "chunked":
            reqbody = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline(); break
                reqbody += self.rfile.read(size); self.rfile.readline()
        with open("" + os.environ.get("PARITY_LOG", "/dev/null") + "", "a") as f:
            f.write(self.command + " " + self.path + " " + reqbody.decode("utf-8", "replace") + "\n")
        path = self.path.split("?")[0]
        if path.startswith("/v1."): path = "/" + path.split("/", 2)[2]
        if path.endswith("/attach") or path == "/exec/e1/start" and "Detach\":false" in reqbody.decode():
            def frame(t, b): return bytes([t,0,0,0]) + len(b).to_bytes(4, "big") + b
            self.wfile.write(b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
            self.wfile.write(frame(1, b"hello from container\n") + frame(2, b"warning on stderr\n"))
            self.wfile.flush()
            self.close_connection = True
            return
        if path == "/exec/e1/json":
            body = json.dumps({"ID": "e1", "Running": False, "ExitCode": 7}).encode()
            self.send_response(200); self.send_header("Content-Type","application/json"); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body); return
        if path == "/_ping":
            body = b"OK"
            self.send_response(200); self.send_header("API-Version", "1.50"); self.send_header("Content-Length", str(len(body))); self.end_headers()
            if self.command != "HEAD": self.wfile.write(body)
            return
        if path in DATA and DATA[path] is None:
            self.send_response(204); self.send_header("Content-Length", "0"); self.end_headers(); return
        if path == "/events":
            body = (json.dumps({"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"web","image":"busybox"}},"scope":"local","time":1767960000,"timeNano":1767960000000000001}) + "\n" +
                    json.dumps({"Type":"image","Action":"tag","Actor":{"ID":"sha256:1","Attributes":{"name":"x:y"}},"scope":"local","time":1767960001,"timeNano":1767960001000000000}) + "\n").encode()
            self.send_response(200); self.send_header("Content-Type","application/json"); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body); return
        if path == "/containers/web/logs":
            def frame(t, b): return bytes([t,0,0,0]) + len(b).to_bytes(4, "big") + b
            body = frame(1, b"out line\n") + frame(2, b"err line\n")
            self.send_response(200); self.send_header("Content-Type","application/vnd.docker.multiplexed-stream"); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body); return
        if path in DATA:
            body = json.dumps(DATA[path]).encode()
            self.send_response(200); self.send_header("Content-Type","application/json"); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
        else:
            body = json.dumps({"message": "No such thing: " + path}).encode()
            self.send_response(404); self.send_header("Content-Type","application/json"); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    do_GET = do_POST = do_HEAD = do_DELETE = reply
class S(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
p = sys.argv[1]
if os.path.exists(p): os.unlink(p)
S(p, H).serve_forever()
