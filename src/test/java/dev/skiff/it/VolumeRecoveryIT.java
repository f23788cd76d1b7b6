package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static dev.skiff.it.Cli.skiff;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Volumes across a kill -9 of skiffd, and the skiff CLI's volume commands and mount flags. */
class VolumeRecoveryIT {
    SkiffdProcess daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void killedDaemon_keepsUsedVolumesMounted_releasesTheRest() throws Exception {
        for (String v : new String[] {"held", "dropped"}) {
            docker(daemon, "volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=4m", v).assertOk();
        }
        docker(daemon, "run", "-d", "--name", "keeper", "-v", "held:/h", "busybox", "sh", "-c", "echo before > /h/f; exec sleep 1000").assertOk();
        docker(daemon, "run", "-d", "--name", "quitter", "-v", "dropped:/d", "busybox", "sleep", "1").assertOk();
        Path held = daemon.dir().resolve("data/volumes/held/_data");
        Path dropped = daemon.dir().resolve("data/volumes/dropped/_data");
        assertThat(Mounts.under(daemon.dir().resolve("data/volumes"))).containsExactlyInAnyOrder(held.toString(), dropped.toString());

        daemon.kill9();
        Thread.sleep(2500); // quitter exits while no daemon watches
        daemon.launch();

        assertThat(Mounts.under(daemon.dir().resolve("data/volumes"))).containsExactly(held.toString());
        assertThat(docker(daemon, "exec", "keeper", "cat", "/h/f").assertOk().out()).isEqualTo("before");
        assertThat(docker(daemon, "volume", "rm", "held").stderr()).contains("remove held: volume is in use");
        docker(daemon, "stop", "-t", "1", "keeper").assertOk();
        // the restarted daemon rebuilt the reference count: the last user stopping releases the mount
        assertThat(Mounts.under(daemon.dir().resolve("data/volumes"))).isEmpty();
        docker(daemon, "rm", "keeper", "quitter").assertOk();
        docker(daemon, "volume", "rm", "held", "dropped").assertOk();
        assertThat(Mounts.under(daemon.dir().resolve("data"))).isEmpty();
    }

    @Test
    void skiffCli_volumeCommandsAndMountFlags() throws Exception {
        assertThat(skiff(daemon, "volume", "create", "--label", "a=b", "sv").assertOk().out()).isEqualTo("sv");
        skiff(daemon, "run", "--rm", "--mount", "type=volume,src=sv,dst=/data,volume-label=ignored=1", "busybox",
                "sh", "-c", "mkdir -p /data/sub && echo deep > /data/sub/f").assertOk();
        assertThat(DockerCliVolumesIT.run(daemon, Cli::skiff, "--mount", "type=volume,src=sv,dst=/only,volume-subpath=sub,readonly", "busybox",
                "cat", "/only/f").assertOk().out()).isEqualTo("deep");
        assertThat(skiff(daemon, "volume", "ls", "--format", "{{.Name}} {{.Driver}} {{.Labels}}").assertOk().out()).isEqualTo("sv local a=b");
        assertThat(skiff(daemon, "volume", "inspect", "-f", "{{.Name}} {{.Scope}}", "sv").assertOk().out()).isEqualTo("sv local");
        skiff(daemon, "run", "-d", "--name", "src", "-v", "sv:/data", "busybox", "sleep", "1000").assertOk();
        assertThat(DockerCliVolumesIT.run(daemon, Cli::skiff, "--volumes-from", "src:ro", "busybox", "cat", "/data/sub/f").assertOk().out())
                .isEqualTo("deep");
        Cli.Result inUse = skiff(daemon, "volume", "rm", "sv");
        assertThat(inUse.exitCode()).isEqualTo(1);
        assertThat(inUse.stderr()).contains("remove sv: volume is in use");
        Cli.Result bad = skiff(daemon, "run", "--rm", "--mount", "type=bind,dst=/x,volume-nocopy", "busybox", "true");
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.stderr()).contains("cannot mix 'volume-*' options with mount type 'bind'");
        Cli.Result missing = skiff(daemon, "run", "--rm", "--mount", "type=bind,src=/no/such/dir,dst=/x", "busybox", "true");
        assertThat(missing.stderr()).contains("invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir");
        skiff(daemon, "rm", "-f", "src").assertOk();
        skiff(daemon, "volume", "rm", "sv").assertOk();
        assertThat(skiff(daemon, "volume", "ls", "-q").assertOk().out()).isEmpty();
    }
}
