package dev.skiff.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.sys.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A ContainerService over the fakes in a temp directory. */
final class EngineFixture implements AutoCloseable {
    final Path root;
    final FakeRuntime runtime;
    final FakeSnapshotter snapshotter;
    final FakeImages images = new FakeImages();
    final EventBus events = new EventBus();
    final ContainerStore store;
    final ContainerService service;

    EngineFixture(Path root) throws Exception {
        this.root = root;
        runtime = new FakeRuntime(root.resolve("exits"));
        snapshotter = new FakeSnapshotter(root.resolve("snapshots"));
        Path resolv = root.resolve("host-resolv.conf");
        Files.writeString(resolv, "nameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch example\n");
        images.add("busybox", FakeImages.config(List.of("PATH=/bin", "A=image"), null, List.of("sh"), "/", Map.of("img", "1")));
        store = new ContainerStore(root.resolve("skiff.db"));
        service = new ContainerService(new EngineOptions(root, 0, 3, resolv), store, images, runtime, snapshotter, events);
        service.startMonitor();
    }

    static ObjectNode body(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    String create(String name, String json) throws Exception {
        return service.create(name, body(json)).id();
    }

    @Override
    public void close() throws Exception {
        service.close();
        store.close();
    }
}
