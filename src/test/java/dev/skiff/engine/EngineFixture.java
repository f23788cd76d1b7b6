package dev.skiff.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.sys.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A ContainerService over the fakes in a temp directory. */
public final class EngineFixture implements AutoCloseable {
    public final Path root;
    public final FakeRuntime runtime;
    public final FakeSnapshotter snapshotter;
    public final FakeImages images = new FakeImages();
    public final EventBus events = new EventBus();
    public final ContainerStore store;
    public final ContainerService service;

    public EngineFixture(Path root) throws Exception {
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

    public static ObjectNode body(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    public String create(String name, String json) throws Exception {
        return service.create(name, body(json)).id();
    }

    @Override
    public void close() throws Exception {
        service.close();
        store.close();
        releaseShmMounts(root);
    }

    /**
     * The fake runtime never exits its containers, so the real tmpfs the engine mounts for a shareable /dev/shm
     * (containers/ID/shm) would outlive the test: unmount them all.
     */
    public static void releaseShmMounts(Path root) throws java.io.IOException {
        Path containers = root.resolve("containers");
        if (!Files.isDirectory(containers)) {
            return;
        }
        try (var dirs = Files.list(containers)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                Path shm = d.resolve("shm");
                while (Files.isDirectory(shm) && dev.skiff.sys.MountTable.isMountPoint(shm)) {
                    dev.skiff.sys.Syscalls.umount(shm, dev.skiff.sys.Syscalls.MNT_DETACH);
                }
            }
        }
    }
}
