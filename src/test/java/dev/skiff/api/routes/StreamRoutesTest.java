package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.api.http.Router;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineFixture;
import dev.skiff.errors.ConflictException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attach (before and after start) and exec through the routes, with the fake runtime's scripted stdio. */
class StreamRoutesTest {
    @TempDir
    Path tmp;
    EngineFixture f;
    FakeHttp http;

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture(tmp);
        Router router = new Router();
        new ContainerRoutes(new Engine(f.service)).register(router);
        http = new FakeHttp(router);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    @Test
    void attachBeforeStart_connectsBetweenCreateAndStart() throws Exception {
        String id = f.create("at", "{\"Image\":\"busybox\",\"OpenStdin\":true}");
        f.runtime.output.put(id, List.of("hello\n", "2:oops\n"));
        FakeHttp.Response[] r = new FakeHttp.Response[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                r[0] = http.call("POST", "/containers/at/attach?stream=1&stdout=1&stderr=1&stdin=1");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        http.call("POST", "/containers/at/start");
        t.join(5000);
        assertThat(f.runtime.attachedWhile).containsExactly("created");
        byte[] b = r[0].body.toByteArray();
        assertThat(r[0].contentType).isEqualTo("application/vnd.docker.multiplexed-stream");
        assertThat(b[0]).isEqualTo((byte) 1);
        assertThat(new String(b, 8, 6)).isEqualTo("hello\n");
        assertThat(b[14]).isEqualTo((byte) 2);
    }

    /** What `docker run --rm busybox echo hi` sends: create, attach, wait(removed), start; then the exit. */
    @Test
    void dockerRunRm_flow() throws Exception {
        String id = http.call("POST", "/containers/create", "{\"Image\":\"busybox\",\"Cmd\":[\"echo\",\"hi\"],"
                + "\"AttachStdout\":true,\"AttachStderr\":true,\"HostConfig\":{\"AutoRemove\":true}}").json().get("Id").asText();
        f.runtime.output.put(id, List.of("hi\n"));
        FakeHttp.Response[] attach = new FakeHttp.Response[1];
        FakeHttp.Response[] wait = new FakeHttp.Response[1];
        Thread a = Thread.ofVirtual().start(() -> attach[0] = call("POST", "/containers/" + id + "/attach?stream=1&stdout=1&stderr=1"));
        Thread w = Thread.ofVirtual().start(() -> wait[0] = call("POST", "/containers/" + id + "/wait?condition=removed"));
        Thread.sleep(200);
        assertThat(http.call("POST", "/containers/" + id + "/start").status).isEqualTo(204);
        a.join(5000);
        f.runtime.exit(id, 0);
        w.join(5000);
        assertThat(new String(attach[0].body.toByteArray(), 8, 3)).isEqualTo("hi\n");
        assertThat(wait[0].json().get("StatusCode").asInt()).isEqualTo(0);
        assertThat(f.store.find(id)).isEmpty();
    }

    private FakeHttp.Response call(String method, String path) {
        try {
            return http.call(method, path);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void exec_createStartInspect() throws Exception {
        String id = f.create("ex", "{\"Image\":\"busybox\",\"Env\":[\"A=1\"]}");
        assertThatThrownBy(() -> http.call("POST", "/containers/ex/exec", "{\"Cmd\":[\"ls\"]}"))
                .isInstanceOf(ConflictException.class).hasMessage("Container " + id + " is not running");
        http.call("POST", "/containers/ex/start");
        FakeHttp.Response created = http.call("POST", "/containers/ex/exec",
                "{\"Cmd\":[\"ls\",\"-l\"],\"AttachStdout\":true,\"Env\":[\"B=2\"],\"Tty\":true}");
        assertThat(created.status).isEqualTo(201);
        String execId = created.json().get("Id").asText();
        assertThat(http.call("GET", "/containers/ex/json").json().get("ExecIDs").get(0).asText()).isEqualTo(execId);
        f.runtime.output.put("exec", List.of("file\n"));
        f.runtime.execExitCode = 3;
        FakeHttp.Response started = http.call("POST", "/exec/" + execId + "/start", "{\"Detach\":false,\"Tty\":true}");
        assertThat(started.contentType).isEqualTo("application/vnd.docker.raw-stream");
        assertThat(started.text()).isEqualTo("file\n");
        var inspect = http.call("GET", "/exec/" + execId + "/json").json();
        assertThat(inspect.get("ExitCode").asInt()).isEqualTo(3);
        assertThat(inspect.get("Running").asBoolean()).isFalse();
        assertThat(inspect.get("ContainerID").asText()).isEqualTo(id);
        assertThat(inspect.get("ProcessConfig").get("entrypoint").asText()).isEqualTo("ls");
        assertThat(f.runtime.execs.get(0).env()).contains("A=1", "B=2", "TERM=xterm");
        // ended: off the container's list, as dockerd takes it off (exec inspect above still finds it)
        assertThat(http.call("GET", "/containers/ex/json").json().get("ExecIDs").isNull()).isTrue();
        assertThatThrownBy(() -> http.call("POST", "/exec/" + execId + "/start", "{}")).isInstanceOf(ConflictException.class);
        assertThat(f.events.recent()).extracting(e -> e.action())
                .contains("exec_create: ls -l", "exec_start: ls -l", "exec_die");
    }

    @Test
    void logsTail_aNegativeNumberOrANonIntegerMeansAll_asTheCliReferenceSays() {
        assertThat(ContainerStreamRoutes.tail("5")).isEqualTo(5);
        assertThat(ContainerStreamRoutes.tail("0")).isZero();
        assertThat(ContainerStreamRoutes.tail("all")).isEqualTo(-1);
        assertThat(ContainerStreamRoutes.tail("-3")).isEqualTo(-1);
        assertThat(ContainerStreamRoutes.tail("bogus")).isEqualTo(-1);
        assertThat(ContainerStreamRoutes.tail("")).isEqualTo(-1);
    }
}
