package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Only root reads the daemon's state: a container's config and process files hold its environment (-e passwords),
 * and every host user sees container IDs in conmon's command line. Containers themselves are not hindered.
 */
class StatePermissionsIT {
    static SkiffdProcess d;

    @BeforeAll
    static void start() throws Exception {
        d = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** What `cat FILE` prints as nobody, with its exit code. */
    private static Cli.Result asNobody(Path file) {
        return Cli.run(d, List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat", file.toString()),
                null);
    }

    @Test
    void aContainersSecrets_areRootsAlone() throws Exception {
        Path data = d.dir().resolve("data");
        Path exec = d.dir().resolve("run");
        assertThat(mode(data)).isEqualTo("rwx--x---");
        assertThat(mode(exec)).isEqualTo("rwx--x--x");
        assertThat(mode(exec.resolve("c"))).isEqualTo("rwx------");
        String id = docker(d, "run", "-d", "-e", "SECRET=hunter2", "--name", "secret", "busybox", "sleep", "1000")
                .assertOk().out();
        try {
            Path config = data.resolve("containers").resolve(id).resolve("config.json");
            Path process = exec.resolve("c").resolve(id).resolve("process.json");
            assertThat(Files.readString(config)).contains("SECRET=hunter2");
            assertThat(Files.readString(process)).contains("SECRET=hunter2");
            for (Path file : List.of(config, process)) {
                Cli.Result r = asNobody(file);
                assertThat(r.exitCode()).as("cat %s as nobody", file).isNotZero();
                assertThat(r.stdout() + r.stderr()).contains("Permission denied").doesNotContain("hunter2");
            }
        } finally {
            docker(d, "rm", "-f", "secret");
        }
    }

    @Test
    void aContainerOfAnotherUser_stillReadsItsImageItsVolumeAndItsEtcFiles() {
        docker(d, "volume", "create", "perm-vol").assertOk();
        try {
            docker(d, "run", "--rm", "-v", "perm-vol:/data", "busybox", "sh", "-c", "echo hi > /data/f; chmod 644 /data/f")
                    .assertOk();
            String out = docker(d, "run", "--rm", "-u", "1000:1000", "-v", "perm-vol:/data", "busybox", "sh", "-c",
                    "cat /data/f /etc/hostname >/dev/null && cat /data/f && head -c 4 /bin/busybox | od -c | head -1"
                            + " && grep -q localhost /etc/hosts && echo hosts-read").assertOk().out();
            assertThat(out).startsWith("hi\n").contains("E   L   F").endsWith("hosts-read");
            docker(d, "run", "-d", "-u", "1000", "--name", "perm-exec", "busybox", "sleep", "1000").assertOk();
            assertThat(docker(d, "exec", "perm-exec", "id", "-u").assertOk().out()).isEqualTo("1000");
            assertThat(docker(d, "logs", "perm-exec").exitCode()).isZero();
        } finally {
            docker(d, "rm", "-f", "perm-exec");
            docker(d, "volume", "rm", "perm-vol");
        }
    }
}
