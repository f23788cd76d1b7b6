package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker-java, the client Testcontainers is built on, against a real skiffd. */
class DockerJavaIT {
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
    void ping_versionAndImages() {
        client.pingCmd().exec();
        assertThat(client.versionCmd().exec().getApiVersion()).isEqualTo("1.50");
        assertThat(client.listImagesCmd().exec()).anySatisfy(i -> assertThat(i.getRepoTags()).contains("busybox:latest"));
    }

    @Test
    void createStartWaitLogs() throws Exception {
        CreateContainerResponse created = client.createContainerCmd("busybox")
                .withCmd("sh", "-c", "echo from-docker-java; exit 4").exec();
        client.startContainerCmd(created.getId()).exec();
        int code = client.waitContainerCmd(created.getId()).start().awaitStatusCode(30, TimeUnit.SECONDS);
        assertThat(code).isEqualTo(4);
        StringBuilder logs = new StringBuilder();
        client.logContainerCmd(created.getId()).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        logs.append(new String(frame.getPayload()));
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        assertThat(logs.toString()).isEqualTo("from-docker-java\n");
        client.removeContainerCmd(created.getId()).exec();
    }

    @Test
    void inspectUnknownContainer_isNotFound() {
        assertThatThrownBy(() -> client.inspectContainerCmd("no-such-container").exec())
                .isInstanceOf(NotFoundException.class);
    }
}
