package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-py (Debian's python3-docker, which docker-compose brings), unmodified, against a real skiffd: containers
 * run, exec'd (demultiplexed too), inspected, paused, stopped, copied into and out of; an image built, run and
 * removed; a volume; the 404s; events. The script prints one line per check; the expected lines are what the same
 * script printed against dockerd 20.10 (src/test/resources/dockerpy/lifecycle.expected).
 */
class DockerPyIT {
    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        Requirements.assumeTool("python3");
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void theLifecycleScript_printsWhatItPrintsAgainstDockerd() throws Exception {
        Path script = resource("lifecycle.py");
        assertThat(Cli.run(daemon, List.of("python3", "-c", "import docker"), null).exitCode())
                .as("python3-docker is installed (bin/install-deps)").isZero();
        Cli.Result r = Cli.run(daemon, List.of("python3", script.toString(), "unix://" + daemon.socket()), null).assertOk();
        assertThat(r.out()).isEqualTo(Files.readString(resource("lifecycle.expected")).strip());
    }

    /** docker-py (API 1.41) sends a MAC address container-wide only: it reaches the interface, as with dockerd. */
    @Test
    void aContainerWideMacAddress_isTheInterfaces() throws Exception {
        String script = String.join("\n", "import docker, sys",
                "c = docker.DockerClient(base_url=sys.argv[1])",
                "print(c.containers.run('busybox', 'cat /sys/class/net/eth0/address', mac_address='02:42:ac:11:00:96',"
                        + " remove=True).decode().strip())");
        Cli.Result r = Cli.run(daemon, List.of("python3", "-c", script, "unix://" + daemon.socket()), null).assertOk();
        assertThat(r.out()).isEqualTo("02:42:ac:11:00:96");
    }

    private static Path resource(String name) throws Exception {
        return Path.of(Objects.requireNonNull(DockerPyIT.class.getResource("/dockerpy/" + name)).toURI());
    }

    /** docker-py's build(path=URL) sends the URL as POST /build's remote: the daemon clones the repository. */
    @Test
    void aBuildFromAGitRepository_isFetchedByTheDaemon() throws Exception {
        try (GitServer git = GitServer.start(daemon.dir())) {
            git.repository("pyctx", java.util.Map.of("Dockerfile", "FROM busybox\nCOPY m /m\nCMD cat /m\n",
                    "m", "built by docker-py\n"));
            String script = String.join("\n", "import docker, sys",
                    "c = docker.DockerClient(base_url=sys.argv[1])",
                    "c.images.build(path=sys.argv[2], tag='pyremote:1')",
                    "print(c.containers.run('pyremote:1', remove=True).decode().strip())");
            Cli.Result r = Cli.run(daemon, List.of("python3", "-c", script, "unix://" + daemon.socket(),
                    git.url("pyctx")), null).assertOk();
            assertThat(r.out()).isEqualTo("built by docker-py");
        }
    }
}
