package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real docker CLI against skiffd: named and anonymous volumes, binds, tmpfs, volumes-from, prune, df. */
class DockerCliVolumesIT {
    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static int runs;

    /**
     * docker run, with the output read back from the container's log: an attached run can miss the first output
     * of a short-lived container when the machine is loaded (a race in attach outside the volume code), and
     * these tests are about what the container saw. The container is removed with -v afterwards, as --rm does.
     */
    static Cli.Result run(SkiffdProcess d, java.util.function.BiFunction<SkiffdProcess, String[], Cli.Result> cli, String... args) {
        String name = "logged-" + (++runs);
        java.util.List<String> full = new java.util.ArrayList<>(java.util.List.of("run", "--name", name));
        full.addAll(java.util.List.of(args));
        Cli.Result r = cli.apply(d, full.toArray(String[]::new));
        if (!cli.apply(d, new String[] {"inspect", name}).stdout().startsWith("[")) {
            return r; // never created: the run's own error is the answer
        }
        Cli.Result logs = cli.apply(d, new String[] {"logs", name});
        cli.apply(d, new String[] {"rm", "-f", "-v", name});
        return new Cli.Result(r.exitCode(), logs.stdout(), logs.stderr());
    }

    private static Cli.Result logged(String... args) {
        return run(daemon, Cli::docker, args);
    }

    private static JsonNode inspect(String... args) throws Exception {
        return Json.MAPPER.readTree(docker(daemon, args).assertOk().stdout()).get(0);
    }

    @Test
    void namedVolume_outlivesContainers_andIsFilledFromTheImage() throws Exception {
        docker(daemon, "volume", "create", "--label", "team=a", "keep").assertOk();
        docker(daemon, "run", "--name", "writer", "-v", "keep:/data", "busybox", "sh", "-c", "echo kept > /data/f").assertOk();
        docker(daemon, "rm", "-v", "writer").assertOk();
        assertThat(logged("-v", "keep:/data", "busybox", "cat", "/data/f").assertOk().out())
                .isEqualTo("kept");
        JsonNode v = inspect("volume", "inspect", "keep");
        assertThat(v.path("Name").asText()).isEqualTo("keep");
        assertThat(v.path("Driver").asText()).isEqualTo("local");
        assertThat(v.path("Scope").asText()).isEqualTo("local");
        assertThat(v.path("Labels").path("team").asText()).isEqualTo("a");
        assertThat(v.path("Mountpoint").asText()).isEqualTo(daemon.dir().resolve("data/volumes/keep/_data").toString());
        assertThat(v.path("CreatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(Files.readString(Path.of(v.path("Mountpoint").asText(), "f"))).isEqualTo("kept\n");

        // a new, empty volume gets the image's content at its mount point (copy-up), unless nocopy
        assertThat(logged("-v", "etc-copy:/etc", "busybox", "cat", "/etc/passwd").assertOk().out())
                .contains("root:");
        assertThat(daemon.dir().resolve("data/volumes/etc-copy/_data/passwd")).exists();
        assertThat(docker(daemon, "run", "--rm", "-v", "etc-empty:/etc:nocopy", "busybox", "ls", "/etc/passwd").exitCode())
                .isNotZero();
        docker(daemon, "volume", "rm", "keep", "etc-copy", "etc-empty").assertOk();
    }

    @Test
    void imageVolume_becomesAnonymous_andRmVRemovesIt() throws Exception {
        docker(daemon, "run", "--name", "seeder", "busybox", "sh", "-c", "mkdir /data && echo seed > /data/seed").assertOk();
        docker(daemon, "commit", "--change", "VOLUME /data", "seeder", "volimg").assertOk();
        docker(daemon, "rm", "seeder").assertOk();

        docker(daemon, "create", "--name", "anon", "volimg", "cat", "/data/seed").assertOk();
        JsonNode mount = inspect("inspect", "anon").path("Mounts").get(0);
        String name = mount.path("Name").asText();
        assertThat(name).matches("[0-9a-f]{64}");
        assertThat(mount.path("Type").asText()).isEqualTo("volume");
        assertThat(mount.path("Destination").asText()).isEqualTo("/data");
        assertThat(mount.path("Driver").asText()).isEqualTo("local");
        assertThat(mount.path("RW").asBoolean()).isTrue();
        docker(daemon, "start", "anon").assertOk();
        assertThat(docker(daemon, "wait", "anon").assertOk().out()).isEqualTo("0");
        assertThat(docker(daemon, "logs", "anon").assertOk().out()).isEqualTo("seed");
        assertThat(inspect("volume", "inspect", name).path("Labels").has("com.docker.volume.anonymous")).isTrue();
        assertThat(docker(daemon, "volume", "rm", name).exitCode()).isNotZero();
        assertThat(docker(daemon, "volume", "rm", name).stderr())
                .contains("remove " + name + ": volume is in use - [" + docker(daemon, "inspect", "-f", "{{.Id}}", "anon").out() + "]");
        docker(daemon, "rm", "-v", "anon").assertOk();
        assertThat(docker(daemon, "volume", "ls", "-q").out()).doesNotContain(name);

        // a relative VOLUME (what `VOLUME data` writes) is taken from the root, as dockerd takes it
        docker(daemon, "create", "--name", "anon-rel-src", "busybox", "true").assertOk();
        docker(daemon, "commit", "--change", "VOLUME data", "anon-rel-src", "volrel").assertOk();
        assertThat(docker(daemon, "run", "--rm", "volrel", "sh", "-c", "grep -c ' /data ' /proc/mounts").assertOk().out())
                .isEqualTo("1");
        docker(daemon, "rm", "anon-rel-src").assertOk();
        docker(daemon, "rmi", "volrel").assertOk();

        // plain rm keeps the anonymous volume; run --rm takes it along; a named one always stays
        docker(daemon, "run", "--name", "keeps", "-v", "/scratch", "busybox", "true").assertOk();
        String kept = inspect("inspect", "keeps").path("Mounts").get(0).path("Name").asText();
        docker(daemon, "rm", "keeps").assertOk();
        assertThat(docker(daemon, "volume", "ls", "-q").out()).contains(kept);
        String before = docker(daemon, "volume", "ls", "-q").out();
        docker(daemon, "run", "--rm", "-v", "/gone", "-v", "stays:/bar", "volimg", "true").assertOk();
        List<String> after = docker(daemon, "volume", "ls", "-q").out().lines().toList();
        assertThat(after).contains("stays", kept).hasSize(before.lines().toList().size() + 1);
        docker(daemon, "volume", "rm", kept, "stays").assertOk();
    }

    @Test
    void volumesFrom_andReadOnlyMounts() throws Exception {
        docker(daemon, "run", "-d", "--name", "holder", "-v", "shared:/shared", "-v", "/anon", "busybox", "sleep", "1000").assertOk();
        docker(daemon, "run", "--rm", "--volumes-from", "holder", "busybox", "sh", "-c", "echo from > /shared/x; touch /anon/y").assertOk();
        Cli.Result ro = logged("--volumes-from", "holder:ro", "busybox", "touch", "/shared/z");
        assertThat(ro.exitCode()).isNotZero();
        assertThat(ro.stderr()).contains("Read-only file system");
        assertThat(docker(daemon, "exec", "holder", "sh", "-c", "cat /shared/x; ls /anon").assertOk().out()).isEqualTo("from\ny");

        Cli.Result roNamed = logged("-v", "shared:/s:ro", "busybox", "sh", "-c", "cat /s/x && touch /s/w");
        assertThat(roNamed.stdout()).isEqualTo("from\n");
        assertThat(roNamed.stderr()).contains("Read-only file system");
        JsonNode m = inspect("inspect", "holder").path("Mounts");
        assertThat(m.toString()).contains("\"Name\":\"shared\"", "\"Mode\":\"z\"");
        docker(daemon, "rm", "-f", "-v", "holder").assertOk();
        docker(daemon, "volume", "rm", "shared").assertOk();
    }

    @Test
    void tmpfsVolume_isMountedWhileUsed_andEventsTellIt() throws Exception {
        String since = docker(daemon, "version", "-f", "{{.Server.Os}}").out().isEmpty() ? "" : Long.toString(System.currentTimeMillis() / 1000 - 1);
        docker(daemon, "volume", "create", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt", "o=size=10m,uid=1000", "tmpv").assertOk();
        Path data = daemon.dir().resolve("data/volumes/tmpv/_data");
        assertThat(Mounts.under(data.getParent())).isEmpty();
        docker(daemon, "run", "-d", "--name", "tmpuser", "-v", "tmpv:/t", "busybox", "sleep", "1000").assertOk();
        assertThat(Mounts.under(data.getParent())).containsExactly(data.toString());
        assertThat(docker(daemon, "exec", "tmpuser", "sh", "-c", "stat -c %u /t; df -k /t | tail -1").assertOk().out())
                .startsWith("1000\n").contains(" 10240 ");
        docker(daemon, "rm", "-f", "tmpuser").assertOk();
        assertThat(Mounts.under(data.getParent())).isEmpty();
        String events = docker(daemon, "events", "--since", since, "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                "--filter", "type=volume", "--filter", "volume=tmpv", "--format", "{{.Action}}").assertOk().stdout();
        assertThat(events.lines().toList()).containsSubsequence("create", "mount", "unmount");
        docker(daemon, "volume", "rm", "tmpv").assertOk();
        assertThat(docker(daemon, "events", "--since", since, "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                "--filter", "type=volume", "--filter", "volume=tmpv", "--format", "{{.Action}}").out()).endsWith("destroy");
    }

    @Test
    void tmpfsMounts_withSizeAndMode() throws Exception {
        assertThat(logged("--mount", "type=tmpfs,dst=/scratch,tmpfs-size=4m,tmpfs-mode=1770", "busybox",
                "sh", "-c", "stat -c %a /scratch; df -k /scratch | tail -1").assertOk().out()).startsWith("1770\n").contains(" 4096 ");
        assertThat(logged("--tmpfs", "/run:size=2m", "busybox", "sh", "-c", "df -k /run | tail -1")
                .assertOk().out()).contains(" 2048 ");
    }

    @Test
    void binds_vCreatesTheHostDir_mountRefusesWithDockersMessage() throws Exception {
        Path missing = daemon.dir().resolve("made-by-v/sub");
        docker(daemon, "run", "--rm", "-v", missing + ":/m:z", "busybox", "sh", "-c", "echo hostside > /m/f").assertOk();
        assertThat(Files.readString(missing.resolve("f"))).isEqualTo("hostside\n");

        Path absent = daemon.dir().resolve("absent");
        Cli.Result r = docker(daemon, "run", "--rm", "--mount", "type=bind,src=" + absent + ",dst=/m", "busybox", "true");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("invalid mount config for type \"bind\": bind source path does not exist: " + absent);
        assertThat(absent).doesNotExist();

        docker(daemon, "create", "--name", "bound", "--mount", "type=bind,src=" + missing + ",dst=/m,readonly", "-v",
                missing + ":/n:ro,z", "busybox", "true").assertOk();
        JsonNode mounts = inspect("inspect", "bound").path("Mounts");
        assertThat(mounts.get(0).toString()).isEqualTo("{\"Type\":\"bind\",\"Source\":\"" + missing
                + "\",\"Destination\":\"/m\",\"Mode\":\"\",\"RW\":false,\"Propagation\":\"rprivate\"}");
        assertThat(mounts.get(1).path("Mode").asText()).isEqualTo("ro,z");
        assertThat(inspect("inspect", "bound").path("HostConfig").path("Binds").get(0).asText()).isEqualTo(missing + ":/n:ro,z");
        docker(daemon, "rm", "bound").assertOk();

        // a bind that holds the daemon's data root defaults to rslave, as dockerd's, and runs even where the host's
        // mount propagates nothing (dockerd's private fallback)
        docker(daemon, "create", "--name", "overroot", "-v", daemon.dir() + ":/d:ro", "busybox", "ls", "/d").assertOk();
        assertThat(inspect("inspect", "overroot").path("Mounts").get(0).path("Propagation").asText())
                .isEqualTo("rslave");
        assertThat(docker(daemon, "start", "-a", "overroot").assertOk().out()).contains("data");
        docker(daemon, "rm", "overroot").assertOk();
        // asking for a propagation that would keep private copies of the daemon's mounts is refused, as dockerd does
        Cli.Result privateOverRoot = docker(daemon, "run", "--rm", "-v", daemon.dir() + ":/d:rprivate", "busybox", "true");
        assertThat(privateOverRoot.exitCode()).isEqualTo(125);
        assertThat(privateOverRoot.stderr()).contains("invalid mount config: must use either propagation mode \"rslave\" or "
                + "\"rshared\" when mount source is within the daemon root");
    }

    @Test
    void bindPropagation_rslaveSeesHostMountsLater() throws Exception {
        Path shared = daemon.dir().resolve("shared-src");
        Files.createDirectories(shared);
        Cli.run(null, List.of("mount", "-t", "tmpfs", "tmpfs", shared.toString()), null).assertOk();
        try {
            Cli.run(null, List.of("mount", "--make-shared", shared.toString()), null).assertOk();
            Files.createDirectories(shared.resolve("late"));
            docker(daemon, "run", "-d", "--name", "slave", "-v", shared + ":/mnt:rslave", "busybox", "sleep", "1000").assertOk();
            docker(daemon, "run", "-d", "--name", "private", "-v", shared + ":/mnt", "busybox", "sleep", "1000").assertOk();
            Cli.run(null, List.of("mount", "-t", "tmpfs", "tmpfs", shared.resolve("late").toString()), null).assertOk();
            Files.writeString(shared.resolve("late/hello"), "propagated\n");
            assertThat(docker(daemon, "exec", "slave", "cat", "/mnt/late/hello").assertOk().out()).isEqualTo("propagated");
            assertThat(docker(daemon, "exec", "private", "ls", "/mnt/late").assertOk().out()).isEmpty();
            assertThat(inspect("inspect", "slave").path("Mounts").get(0).path("Propagation").asText()).isEqualTo("rslave");
            Path plain = daemon.dir().resolve("plain");
            Files.createDirectories(plain);
            Cli.run(null, List.of("mount", "-t", "tmpfs", "tmpfs", plain.toString()), null).assertOk();
            try {
                Cli.run(null, List.of("mount", "--make-private", plain.toString()), null).assertOk();
                Cli.Result r = docker(daemon, "run", "--rm", "-v", plain + ":/mnt:rshared", "busybox", "true");
                assertThat(r.stderr()).contains("path " + plain + " is mounted on " + plain + " but it is not a shared mount");
            } finally {
                Cli.run(null, List.of("umount", plain.toString()), null);
            }
        } finally {
            docker(daemon, "rm", "-f", "slave", "private");
            Cli.run(null, List.of("umount", "-R", shared.toString()), null);
        }
    }

    @Test
    void badInput_clearErrors_nothingHalfCreated() throws Exception {
        Cli.Result bad = docker(daemon, "volume", "create", "x/y");
        assertThat(bad.stderr()).contains("create x/y: \"x/y\" includes invalid characters for a local volume name, only "
                + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        assertThat(docker(daemon, "volume", "create", "a").stderr())
                .contains("create a: volume name is too short, names should be at least two alphanumeric characters");
        assertThat(docker(daemon, "volume", "inspect", "nope").stderr()).contains("get nope: no such volume");
        assertThat(docker(daemon, "volume", "rm", "nope").stderr()).contains("get nope: no such volume");
        docker(daemon, "volume", "rm", "-f", "nope").assertOk();
        assertThat(docker(daemon, "volume", "create", "--opt", "type=tmpfs", "novol").stderr())
                .contains("missing required option: \"device\"");
        assertThat(docker(daemon, "volume", "create", "--opt", "color=red", "novol").stderr()).contains("invalid option: \"color\"");

        String volumesBefore = docker(daemon, "volume", "ls", "-q").out();
        String containersBefore = docker(daemon, "ps", "-aq").out();
        Cli.Result r = docker(daemon, "run", "--rm", "-v", "fresh:/a", "-v", "x/y:/b", "busybox", "true");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("create x/y: \"x/y\" includes invalid characters");
        assertThat(docker(daemon, "run", "--rm", "-v", "dup:/a", "-v", "/tmp:/a", "busybox", "true").stderr())
                .contains("Duplicate mount point: /a");
        assertThat(docker(daemon, "run", "--rm", "-v", "fresh:rel", "busybox", "true").stderr())
                .contains("invalid mount path: 'rel' mount path must be absolute");
        assertThat(docker(daemon, "run", "--rm", "--volumes-from", "ghost", "busybox", "true").stderr())
                .contains("No such container: ghost");
        assertThat(docker(daemon, "volume", "ls", "-q").out()).isEqualTo(volumesBefore);
        assertThat(docker(daemon, "ps", "-aq").out()).isEqualTo(containersBefore);
    }

    @Test
    void lsFilters_pruneAnonymousByDefault_andDf() throws Exception {
        docker(daemon, "volume", "create", "--label", "env=prod", "prod1").assertOk();
        docker(daemon, "volume", "create", "--label", "env=dev", "dev1").assertOk();
        docker(daemon, "run", "--name", "user1", "-v", "prod1:/p", "-v", "/lonely", "busybox", "sh", "-c",
                "dd if=/dev/zero of=/p/blob bs=1024 count=1024 2>/dev/null").assertOk();
        String anon = inspect("inspect", "user1").path("Mounts").toString().replaceAll(".*\"Name\":\"([0-9a-f]{64})\".*", "$1");
        assertThat(docker(daemon, "volume", "ls", "-q", "-f", "label=env=prod").out()).isEqualTo("prod1");
        assertThat(docker(daemon, "volume", "ls", "-q", "-f", "label=env").out().lines()).contains("prod1", "dev1");
        assertThat(docker(daemon, "volume", "ls", "-q", "-f", "name=dev").out()).isEqualTo("dev1");
        assertThat(docker(daemon, "volume", "ls", "-q", "-f", "dangling=false").out().lines()).contains("prod1", anon)
                .doesNotContain("dev1");
        assertThat(docker(daemon, "volume", "ls", "-q", "-f", "dangling=true").out().lines()).contains("dev1").doesNotContain("prod1");
        assertThat(docker(daemon, "volume", "ls", "-q", "-f", "driver=local", "-f", "label=env=dev").out()).isEqualTo("dev1");
        assertThat(docker(daemon, "volume", "ls", "-f", "bogus=1").stderr()).contains("invalid filter 'bogus'");
        String user1 = docker(daemon, "inspect", "-f", "{{.Id}}", "user1").out().substring(0, 12);
        assertThat(docker(daemon, "ps", "-aq", "--filter", "volume=prod1").out()).isEqualTo(user1);
        assertThat(docker(daemon, "ps", "-aq", "--filter", "volume=/lonely").out()).isEqualTo(user1);
        assertThat(docker(daemon, "ps", "-aq", "--filter", "volume=dev1").out()).isEmpty();

        String df = docker(daemon, "system", "df", "-v").assertOk().stdout();
        assertThat(df.lines().filter(l -> l.startsWith("prod1 ")).findFirst().orElseThrow()).matches("prod1\\s+1\\s+1\\.049MB");
        assertThat(docker(daemon, "system", "df", "--format", "{{.Type}} {{.TotalCount}}").out()).contains("Local Volumes");

        docker(daemon, "rm", "user1").assertOk();
        docker(daemon, "volume", "create", "--label", "env=dev", "dev2").assertOk();
        String pruned = docker(daemon, "volume", "prune", "-f").assertOk().stdout();
        assertThat(pruned).contains(anon).doesNotContain("dev1").doesNotContain("prod1");
        pruned = docker(daemon, "volume", "prune", "-f", "-a", "--filter", "label=env=dev").assertOk().stdout();
        assertThat(pruned).contains("dev1", "dev2").doesNotContain("prod1");
        assertThat(docker(daemon, "volume", "prune", "-f", "-a", "--filter", "label!=env=dev").assertOk().stdout())
                .contains("prod1").contains("Total reclaimed space: 1.049MB");
    }

    @Test
    void cp_readsAndWritesVolumes_refusesReadOnlyOnes() throws Exception {
        docker(daemon, "create", "--name", "cpv", "-v", "cpvol:/data", "-v", "cpro:/ro:ro", "busybox", "true").assertOk();
        Path local = daemon.dir().resolve("cp-in.txt");
        Files.writeString(local, "copied in\n");
        docker(daemon, "cp", local.toString(), "cpv:/data/in.txt").assertOk();
        assertThat(daemon.dir().resolve("data/volumes/cpvol/_data/in.txt")).hasContent("copied in");
        Path out = daemon.dir().resolve("cp-out");
        docker(daemon, "cp", "cpv:/data", out.toString()).assertOk();
        assertThat(out.resolve("in.txt")).hasContent("copied in");
        Cli.Result ro = docker(daemon, "cp", local.toString(), "cpv:/ro/x.txt");
        assertThat(ro.exitCode()).isNotZero();
        assertThat(ro.stderr()).contains("mounted volume is marked read-only");
        docker(daemon, "rm", "-v", "cpv").assertOk();
        docker(daemon, "volume", "rm", "cpvol", "cpro").assertOk();
    }
}
