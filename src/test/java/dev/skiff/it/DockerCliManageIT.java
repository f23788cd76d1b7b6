package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real docker CLI against skiffd: the commands that manage and look into containers. */
class DockerCliManageIT {
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

    @Test
    void swarmAndPlugins_answerAsAStandaloneDockerd() {
        // 503 with a message, as dockerd outside a swarm (a 404 read as a broken daemon); no plugins
        for (String[] cmd : new String[][] {{"node", "ls"}, {"service", "ls"}, {"secret", "ls"}, {"config", "ls"}}) {
            Cli.Result r = docker(daemon, cmd);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("This node is not a swarm manager");
        }
        assertThat(docker(daemon, "plugin", "ls", "-q").assertOk().out()).isEmpty();
        assertThat(docker(daemon, "plugin", "inspect", "nosuch").stderr()).contains("plugin \"nosuch\" not found");
        // an exec request without a command is refused before its container is looked up, as dockerd's router does
        String noCmd = Cli.run(null, List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H",
                "Content-Type: application/json", "-d", "{}", "--unix-socket", daemon.socket().toString(),
                "http://skiff/containers/nosuch/exec"), null).assertOk().stdout();
        assertThat(noCmd).isEqualTo("400");
    }

    @Test
    void logs_tailTimestampsAndFollowEndsAtExit() {
        docker(daemon, "run", "--name", "counter", "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done").assertOk();
        assertThat(docker(daemon, "logs", "--tail", "2", "counter").assertOk().stdout()).isEqualTo("line4\nline5\n");
        assertThat(docker(daemon, "logs", "-t", "counter").assertOk().stdout().lines().findFirst().orElseThrow())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z line1");
        assertThat(docker(daemon, "logs", "-f", "counter").assertOk().stdout()).endsWith("line5\n");
        docker(daemon, "rm", "counter").assertOk();
    }

    @Test
    void pauseUnpauseRestartRenameKill() {
        docker(daemon, "run", "-d", "--name", "svc", "busybox", "sleep", "1000").assertOk();
        docker(daemon, "pause", "svc").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Status}}", "svc").out()).isEqualTo("paused");
        docker(daemon, "unpause", "svc").assertOk();
        docker(daemon, "rename", "svc", "svc2").assertOk();
        docker(daemon, "restart", "-t", "0", "svc2").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Running}}", "svc2").out()).isEqualTo("true");
        docker(daemon, "kill", "-s", "KILL", "svc2").assertOk();
        assertThat(docker(daemon, "wait", "svc2").assertOk().out()).isEqualTo("137");
        docker(daemon, "rm", "svc2").assertOk();
    }

    @Test
    void aSignalWithoutAStopSignalConfigured_endsTheRestartPolicy_andResumesAPausedContainer() throws Exception {
        // the process traps USR1 (and says so) and exits 5 at HUP: with no stop signal configured, any signal sent
        // by docker kill is meant to end it, as dockerd sees it
        docker(daemon, "run", "-d", "--name", "trapper", "--restart", "unless-stopped", "busybox", "sh", "-c",
                "trap 'echo got-usr1' USR1; trap 'exit 5' HUP; while :; do sleep 0.1; done").assertOk();
        docker(daemon, "pause", "trapper").assertOk();
        docker(daemon, "kill", "-s", "USR1", "trapper").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Status}}", "trapper").assertOk().out()).isEqualTo("running");
        String logs = "";
        for (int i = 0; i < 50 && !logs.contains("got-usr1"); i++) {
            Thread.sleep(100);
            logs = docker(daemon, "logs", "trapper").assertOk().out();
        }
        assertThat(logs).contains("got-usr1");
        docker(daemon, "kill", "-s", "HUP", "trapper").assertOk();
        assertThat(docker(daemon, "wait", "trapper").assertOk().out()).isEqualTo("5");
        Thread.sleep(500); // a restart would have begun by now
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "trapper").assertOk().out())
                .isEqualTo("exited 0");
        docker(daemon, "rm", "trapper").assertOk();
    }

    @Test
    void streamedStatsOfAStoppedContainer_goOnWithEmptyFrames_untilTheClientLeaves() {
        docker(daemon, "create", "--name", "idle-stats", "busybox", "true").assertOk();
        try {
            // as dockerd's collector: a frame (its name and ID) every second, not one frame and the end of the stream
            Cli.Result r = Cli.run(null, List.of("curl", "-s", "--max-time", "2.5", "--unix-socket",
                    daemon.socket().toString(), "http://skiff/containers/idle-stats/stats"), null);
            assertThat(r.exitCode()).as("curl ends by its own timeout, the stream still open").isEqualTo(28);
            assertThat(r.stdout().lines().count()).isGreaterThanOrEqualTo(2);
            assertThat(r.stdout().lines().findFirst().orElseThrow()).contains("\"name\":\"/idle-stats\"");
        } finally {
            docker(daemon, "rm", "idle-stats");
        }
    }

    @Test
    void topStatsExecEnv() {
        docker(daemon, "run", "-d", "--name", "watched", "--memory", "32m", "busybox", "sleep", "1000").assertOk();
        // runc start returns once runc init is released; the exec of sleep follows a moment later (as with Docker)
        String top = "";
        for (int i = 0; i < 50 && !top.contains("sleep 1000"); i++) {
            top = docker(daemon, "top", "watched").assertOk().stdout();
            if (!top.contains("sleep 1000")) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        assertThat(top).contains("sleep 1000");
        String stats = docker(daemon, "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}", "watched").assertOk().out();
        assertThat(stats).startsWith("watched ").contains("/ 32MiB");
        assertThat(docker(daemon, "exec", "-e", "X=1", "-w", "/tmp", "watched", "sh", "-c", "echo $X $(pwd)").assertOk().out())
                .isEqualTo("1 /tmp");
        docker(daemon, "rm", "-f", "watched").assertOk();
    }

    @Test
    void cpDiffExport() throws Exception {
        docker(daemon, "run", "--name", "files", "busybox", "sh", "-c", "echo inside > /made.txt; rm /etc/group").assertOk();
        Path local = daemon.dir().resolve("made.txt");
        docker(daemon, "cp", "files:/made.txt", local.toString()).assertOk();
        assertThat(Files.readString(local)).isEqualTo("inside\n");
        Path upload = daemon.dir().resolve("upload.txt");
        Files.writeString(upload, "uploaded\n");
        // a file capability (a binary xattr) goes in with docker cp and comes back out with it
        byte[] cap = {0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00}; // VFS_CAP_REVISION_2, cap_net_bind_service permitted
        dev.skiff.sys.Syscalls.lsetxattr(upload, "security.capability", cap);
        docker(daemon, "cp", upload.toString(), "files:/upload.txt").assertOk();
        // a trailing slash names a directory: onto a file it is refused, as by dockerd, instead of writing over it
        Cli.Result ontoFile = docker(daemon, "cp", upload.toString(), "files:/made.txt/");
        assertThat(ontoFile.exitCode()).isEqualTo(1);
        assertThat(ontoFile.stderr()).contains("no such directory");
        assertThat(docker(daemon, "cp", "files:/made.txt/", daemon.dir().toString()).stderr())
                .contains("lstat /made.txt/: not a directory");
        Path back = daemon.dir().resolve("back.txt");
        docker(daemon, "cp", "files:/upload.txt", back.toString()).assertOk();
        assertThat(Files.readString(back)).isEqualTo("uploaded\n");
        assertThat(dev.skiff.sys.Syscalls.lgetxattr(back, "security.capability")).isEqualTo(cap);
        // the container's own /etc/hostname, hosts and resolv.conf, not the rootfs's empty stubs under them
        String id = docker(daemon, "inspect", "-f", "{{.Id}}", "files").assertOk().out();
        Path hostname = daemon.dir().resolve("hostname.txt");
        docker(daemon, "cp", "files:/etc/hostname", hostname.toString()).assertOk();
        assertThat(Files.readString(hostname)).isEqualTo(id.substring(0, 12) + "\n");
        Path hosts = daemon.dir().resolve("hosts.txt");
        docker(daemon, "cp", "files:/etc/./hosts", hosts.toString()).assertOk();
        assertThat(Files.readString(hosts)).contains("localhost", id.substring(0, 12));
        // and into it: a running container sees the new /etc/hosts at once, its rootfs unchanged
        docker(daemon, "run", "-d", "--name", "hostsfile", "busybox", "sleep", "100").assertOk();
        Path mine = daemon.dir().resolve("my-hosts");
        Files.writeString(mine, "127.0.0.1 localhost\n192.0.2.9 db.internal\n");
        docker(daemon, "cp", mine.toString(), "hostsfile:/etc/hosts").assertOk();
        assertThat(docker(daemon, "exec", "hostsfile", "grep", "db.internal", "/etc/hosts").assertOk().out())
                .isEqualTo("192.0.2.9 db.internal");
        assertThat(docker(daemon, "diff", "hostsfile").assertOk().out()).doesNotContain("/etc/hosts");
        docker(daemon, "rm", "-f", "hostsfile").assertOk();
        List<String> diff = docker(daemon, "diff", "files").assertOk().out().lines().toList();
        assertThat(diff).contains("A /made.txt", "A /upload.txt", "D /etc/group")
                // the mount points runc needs live in the init layer, not among the container's changes (dockerd's)
                .noneMatch(l -> l.contains("/etc/host") || l.contains("resolv.conf") || l.contains(".dockerenv"));
        Path tar = daemon.dir().resolve("export.tar");
        docker(daemon, "export", "-o", tar.toString(), "files").assertOk();
        String listing = Cli.run(null, List.of("tar", "-tf", tar.toString()), null).assertOk().stdout();
        assertThat(listing).contains("made.txt").contains("upload.txt").contains("bin/busybox")
                .contains(".dockerenv").contains("etc/hostname").contains("etc/mtab");
        docker(daemon, "rm", "files").assertOk();
    }

    @Test
    void restartPolicyOnFailureRetries() throws Exception {
        docker(daemon, "run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 1").assertOk();
        for (int i = 0; i < 100 && !docker(daemon, "inspect", "-f", "{{.RestartCount}} {{.State.Status}}", "flaky").out()
                .equals("2 exited"); i++) {
            Thread.sleep(100);
        }
        assertThat(docker(daemon, "inspect", "-f", "{{.RestartCount}} {{.State.Status}}", "flaky").out()).isEqualTo("2 exited");
        docker(daemon, "rm", "flaky").assertOk();
    }

    @Test
    void initReapsAndForwardsSignals() {
        assertThat(docker(daemon, "run", "--rm", "--init", "busybox", "ps", "-o", "comm").assertOk().stdout())
                .contains("docker-init").contains("ps");
    }

    @Test
    void pruneAndDiskUsage() {
        docker(daemon, "run", "--name", "leftover", "busybox", "true").assertOk();
        assertThat(docker(daemon, "system", "df").assertOk().stdout()).contains("Images").contains("Containers");
        assertThat(docker(daemon, "container", "prune", "-f").assertOk().stdout()).contains("Total reclaimed space");
        assertThat(docker(daemon, "ps", "-aq", "--filter", "name=leftover").out()).isEmpty();
        docker(daemon, "system", "prune", "-f").assertOk();
        docker(daemon, "image", "inspect", "busybox").assertOk();
    }

    @Test
    void diskUsageCountsASharedLayerOnce() throws Exception {
        docker(daemon, "run", "--name", "writer", "busybox", "sh", "-c", "head -c 5000 /dev/zero > /five-k").assertOk();
        docker(daemon, "commit", "writer", "withfile:du").assertOk();
        docker(daemon, "rm", "writer").assertOk();
        String busybox = docker(daemon, "image", "inspect", "-f", "{{.Id}}", "busybox").assertOk().out();
        String child = docker(daemon, "image", "inspect", "-f", "{{.Id}}", "withfile:du").assertOk().out();

        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var df = json.readTree(api("/system/df"));
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> rows = new java.util.HashMap<>();
        long sizes = 0;
        for (var row : df.path("Images")) {
            rows.put(row.path("Id").asText(), row);
            sizes += row.path("Size").asLong();
        }
        long base = rows.get(busybox).path("Size").asLong();
        assertThat(rows.get(child).path("Size").asLong()).isGreaterThanOrEqualTo(base + 5000);
        assertThat(rows.get(busybox).path("SharedSize").asLong()).isEqualTo(base);
        assertThat(rows.get(child).path("SharedSize").asLong()).isEqualTo(base);
        assertThat(df.path("LayersSize").asLong()).isLessThanOrEqualTo(sizes - base); // busybox's layer once
        var listed = json.readTree(api("/images/json?shared-size=1"));
        for (var row : listed) {
            if (row.path("Id").asText().equals(child)) {
                assertThat(row.path("SharedSize").asLong()).isEqualTo(base);
            }
        }
        docker(daemon, "rmi", "withfile:du").assertOk();
    }

    @Test
    void versionAndInfoNameTheRuntimeHelpersTheDaemonDrives() {
        String runc = Cli.run(null, List.of("runc", "--version"), null).assertOk().stdout();
        String runcVersion = runc.lines().findFirst().orElseThrow().replace("runc version ", "");
        String runcCommit = runc.lines().filter(l -> l.startsWith("commit: ")).findFirst().orElseThrow().substring(8);

        String components = docker(daemon, "version", "--format",
                "{{range .Server.Components}}{{.Name}}={{.Version}};{{end}}").assertOk().out();
        assertThat(components).startsWith("Engine=").contains("runc=" + runcVersion + ";").contains("conmon=");
        assertThat(docker(daemon, "info", "--format", "{{.RuncCommit.ID}}").assertOk().out()).isEqualTo(runcCommit);
        assertThat(docker(daemon, "version").assertOk().stdout()).contains("Experimental:     false");
    }

    private static String api(String path) {
        return Cli.run(null, List.of("curl", "-sf", "--unix-socket", daemon.socket().toString(), "http://skiff" + path),
                null).assertOk().stdout();
    }

    @Test
    void eventsReplayWhatHappened() {
        long since = System.currentTimeMillis() / 1000 - 1;
        docker(daemon, "run", "--rm", "--name", "evented", "busybox", "true").assertOk();
        long until = System.currentTimeMillis() / 1000 + 1;
        String events = docker(daemon, "events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--filter", "container=evented", "--format", "{{.Action}}").assertOk().out();
        assertThat(events.lines().toList()).contains("create", "start", "die", "destroy");
    }
}
