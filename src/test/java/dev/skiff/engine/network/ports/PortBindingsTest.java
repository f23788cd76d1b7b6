package dev.skiff.engine.network.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.ConflictException;
import dev.skiff.sys.Json;
import dev.skiff.sys.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolve, record, release and take over after a restart, with a real database and real sockets. */
class PortBindingsTest {
    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(s);
    }

    @Test
    void resolve_recordsPorts_aRestartedDaemonTakesThemOver_andRetainOnlyLetsDeadOnesGo(@TempDir Path dir) throws Exception {
        EphemeralRange range = PortAllocatorTest.freeRange(4);
        ObjectNode config = json("{\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{}}}");
        ObjectNode all = json("{\"PublishAllPorts\":true}");
        ObjectNode fixed = json("{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"" + range.last() + "\"}]}}");
        try (Sqlite db = Sqlite.open(dir.resolve("skiff.db"))) {
            PortBindings first = new PortBindings(new PortAllocator(range, new SocketPortProbe()), new PortTable(db));
            assertThat(first.resolve("a", "web", config, all)).containsExactly(
                    new PortBinding("tcp", 80, "", range.first()), new PortBinding("udp", 53, "", range.first()));
            assertThat(first.resolve("b", "api", config, fixed)).containsExactly(new PortBinding("tcp", 80, "127.0.0.1", range.last()));
            assertThat(first.resolve("c", "quiet", config, json("{}"))).isEmpty();
            // a restart: the allocator is new, the table tells it what is taken
            releaseSockets(first, "a", "b");
            PortBindings second = new PortBindings(new PortAllocator(range, new SocketPortProbe()), new PortTable(db));
            assertThat(second.of("a")).hasSize(2);
            assertThatThrownBy(() -> second.resolve("d", "late", config, fixed))
                    .isInstanceOf(ConflictException.class)
                    .hasMessage("failed to set up container networking: driver failed programming external connectivity on "
                            + "endpoint late (d): Bind for 127.0.0.1:" + range.last() + " failed: port is already allocated"
                            + " (choose another host port, or stop the container or program that uses it)");
            assertThat(second.of("d")).isEmpty();
            second.retainOnly(Set.of("b"));
            assertThat(second.of("a")).isEmpty();
            assertThat(new PortTable(db).all().keySet()).containsExactly("b");
            second.release("b");
            assertThat(new PortTable(db).all()).isEmpty();
            assertThat(second.resolve("d", "late", config, fixed)).hasSize(1);
            second.release("d");
        }
    }

    /** The old daemon's sockets close with its process; here the old allocator lets them go without the table. */
    private static void releaseSockets(PortBindings old, String... ids) throws Exception {
        var field = PortBindings.class.getDeclaredField("allocator");
        field.setAccessible(true);
        PortAllocator allocator = (PortAllocator) field.get(old);
        for (String id : ids) {
            allocator.release(id);
        }
    }

    @Test
    void ephemeralRange_readsTheKernelFile_orFallsBackToDockers(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ip_local_port_range");
        Files.writeString(f, "32768\t60999\n");
        assertThat(EphemeralRange.from(f)).isEqualTo(new EphemeralRange(32768, 60999));
        Files.writeString(f, "60999 32768\n");
        assertThat(EphemeralRange.from(f)).isEqualTo(EphemeralRange.DOCKER_DEFAULT);
        assertThat(EphemeralRange.from(dir.resolve("missing"))).isEqualTo(EphemeralRange.DOCKER_DEFAULT);
        Files.writeString(f, "1024");
        assertThat(EphemeralRange.from(f)).isEqualTo(EphemeralRange.DOCKER_DEFAULT);
        String[] kernel = String.join(" ", Files.readAllLines(EphemeralRange.KERNEL_FILE)).trim().split("\\s+");
        assertThat(EphemeralRange.fromKernel())
                .isEqualTo(new EphemeralRange(Integer.parseInt(kernel[0]), Integer.parseInt(kernel[1])));
    }

    @Test
    void views_asDockerFillsThem() throws Exception {
        ObjectNode config = json("{\"ExposedPorts\":{\"443/tcp\":{},\"80/tcp\":{}}}");
        List<PortBinding> bound = List.of(new PortBinding("tcp", 80, "", 32768), new PortBinding("tcp", 80, "127.0.0.1", 8080),
                new PortBinding("udp", 53, "", 5353));
        assertThat(PortViews.networkSettingsPorts(config, bound, true).toString()).isEqualTo("{\"443/tcp\":null,"
                + "\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"32768\"},{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}],"
                + "\"53/udp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"5353\"}]}");
        assertThat(PortViews.summaryPorts(config, bound, true).toString()).isEqualTo("["
                + "{\"PrivatePort\":443,\"Type\":\"tcp\"},"
                + "{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":32768,\"Type\":\"tcp\"},"
                + "{\"IP\":\"127.0.0.1\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},"
                + "{\"IP\":\"0.0.0.0\",\"PrivatePort\":53,\"PublicPort\":5353,\"Type\":\"udp\"}]");
        assertThat(PortViews.networkSettingsPorts(config, bound, false).toString()).isEqualTo("{}");
        assertThat(PortViews.summaryPorts(config, bound, false).toString()).isEqualTo("[]");
        assertThat(PortViews.networkSettingsPorts(json("{\"ExposedPorts\":{\"junk\":{}}}"), List.of(), true).toString()).isEqualTo("{}");
    }
}
