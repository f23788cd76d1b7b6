package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real docker CLI against skiffd: import, images, tag, save/load, rmi, history, commit. */
class DockerCliImagesIT {
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
    void images_listsTheImportedImage() {
        String out = docker(daemon, "images", "--format", "{{.Repository}}:{{.Tag}}").assertOk().out();
        assertThat(out.lines()).contains("busybox:latest");
        assertThat(docker(daemon, "images", "-q").assertOk().out()).matches("[0-9a-f]{12}(\\n[0-9a-f]{12})*");
    }

    @Test
    void tag_thenRmiUntagsOnly() {
        docker(daemon, "tag", "busybox", "boat:v1").assertOk();
        assertThat(docker(daemon, "image", "inspect", "-f", "{{.Id}}", "boat:v1").assertOk().out())
                .isEqualTo(docker(daemon, "image", "inspect", "-f", "{{.Id}}", "busybox").out());
        assertThat(docker(daemon, "rmi", "boat:v1").assertOk().out()).isEqualTo("Untagged: boat:v1");
        docker(daemon, "image", "inspect", "busybox").assertOk();
    }

    @Test
    void saveAndLoad_roundTripKeepsTheImageId() throws Exception {
        String id = docker(daemon, "image", "inspect", "-f", "{{.Id}}", "busybox").assertOk().out();
        Path tar = daemon.dir().resolve("busybox-save.tar");
        docker(daemon, "save", "-o", tar.toString(), "busybox:latest").assertOk();
        assertThat(Files.size(tar)).isGreaterThan(500_000);
        docker(daemon, "tag", "busybox", "keep:me").assertOk();
        docker(daemon, "rmi", "busybox").assertOk();
        Cli.Result load = docker(daemon, "load", "-i", tar.toString()).assertOk();
        assertThat(load.stdout()).contains("Loaded image: busybox:latest");
        assertThat(docker(daemon, "image", "inspect", "-f", "{{.Id}}", "busybox").assertOk().out()).isEqualTo(id);
        docker(daemon, "rmi", "keep:me").assertOk();
    }

    @Test
    void commit_makesAnImageWithTheChange() {
        docker(daemon, "run", "--name", "maker", "busybox", "sh", "-c", "echo made > /made.txt").assertOk();
        String since = Long.toString(java.time.Instant.now().getEpochSecond() - 1);
        docker(daemon, "commit", "maker", "made:1").assertOk();
        // dockerd's event attributes: the new name as imageRef
        assertThat(docker(daemon, "events", "--since", since, "--until", Long.toString(java.time.Instant.now()
                .getEpochSecond() + 1), "--filter", "event=commit", "--format", "{{.Actor.Attributes.imageRef}}")
                .assertOk().out()).isEqualTo("made:1");
        assertThat(docker(daemon, "run", "--rm", "made:1", "cat", "/made.txt").assertOk().out()).isEqualTo("made");
        assertThat(docker(daemon, "history", "made:1").assertOk().out().lines().count()).isGreaterThanOrEqualTo(3);
        docker(daemon, "rm", "maker").assertOk();
        docker(daemon, "rmi", "made:1").assertOk();
    }

    @Test
    void forcedRmi_pastAStoppedContainer_deletesTheImage_andItsLayerGoesWithTheContainer() {
        docker(daemon, "run", "--name", "layered", "busybox", "sh", "-c", "echo mine > /mine.txt").assertOk();
        docker(daemon, "commit", "layered", "lone:1").assertOk();
        docker(daemon, "rm", "layered").assertOk();
        String id = docker(daemon, "image", "inspect", "-f", "{{.Id}}", "lone:1").assertOk().out();
        Path layer = Path.of(docker(daemon, "image", "inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", "lone:1")
                .assertOk().out());
        docker(daemon, "run", "--name", "user", "lone:1", "true").assertOk();
        assertThat(docker(daemon, "rmi", "lone:1").stderr()).contains("(must force) - container ");
        assertThat(docker(daemon, "rmi", "-f", "lone:1").assertOk().out().lines())
                .containsExactly("Untagged: lone:1", "Deleted: " + id);
        assertThat(docker(daemon, "images", "-a", "-q", "--no-trunc").assertOk().out()).doesNotContain(id);
        assertThat(docker(daemon, "ps", "-a", "--filter", "name=user", "--format", "{{.Image}}").assertOk().out())
                .isEqualTo(id.substring(7, 19)); // the CLI shortens the ID dockerd's list gives for it
        assertThat(docker(daemon, "start", "-a", "user").exitCode()).isZero(); // its layers are still there
        assertThat(layer).exists();
        docker(daemon, "rm", "user").assertOk();
        assertThat(layer).doesNotExist();
    }

    @Test
    void unknownImage_isDockersMessage() {
        Cli.Result r = docker(daemon, "image", "inspect", "nope:nope");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).containsIgnoringCase("no such image: nope:nope");
    }

    @Test
    void load_refusesAnArchiveThatEscapesItsRoot() throws Exception {
        Path evil = daemon.dir().resolve("evil.tar");
        Cli.run(null, java.util.List.of("sh", "-c", "mkdir -p /tmp/skiff-evil && cd /tmp/skiff-evil && echo x > f && "
                + "tar --transform 's,^,../../,' -cf " + evil + " f"), null).assertOk();
        Cli.Result r = Cli.dockerWithInput(daemon, Files.readAllBytes(evil), "import", "-", "evil:1");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("outside");
        assertThat(docker(daemon, "images", "-q", "evil").out()).isEmpty();
    }
}
