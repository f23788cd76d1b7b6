package dev.skiff.it;

import static dev.skiff.it.BuildContexts.context;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker-java's build command (what Testcontainers' ImageFromDockerfile uses) against a real skiffd. */
class BuildDockerJavaIT {
    static SkiffdProcess daemon;
    static DockerClient client;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
        client = daemon.dockerJava();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void buildImageCmd_buildsTagsAndReturnsTheId() {
        Path ctx = context(daemon.dir(), Map.of("Dockerfile", "FROM busybox\nARG V\nRUN echo $V > /v\nLABEL k=v\n"));
        String id = client.buildImageCmd(ctx.toFile()).withTags(Set.of("dj:1")).withBuildArg("V", "java")
                .exec(new BuildImageResultCallback()).awaitImageId();
        assertThat(id).isNotBlank();
        var inspect = client.inspectImageCmd("dj:1").exec();
        assertThat(inspect.getId()).contains(id);
        assertThat(inspect.getConfig().getLabels()).containsEntry("k", "v");
    }
}
