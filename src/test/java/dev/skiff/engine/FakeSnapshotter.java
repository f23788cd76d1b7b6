package dev.skiff.engine;

import dev.skiff.runtime.Snapshotter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A snapshotter over plain directories: "mounting" just reports the upper dir as the root. */
public final class FakeSnapshotter implements Snapshotter {
    private final Path root;
    final Map<String, List<Path>> prepared = new ConcurrentHashMap<>();
    final Set<String> mounted = ConcurrentHashMap.newKeySet();
    /** Runs first in every prepareContainer (a test's latch, or a failure to throw). */
    volatile java.util.function.Consumer<String> beforePrepareContainer = key -> { };

    FakeSnapshotter(Path root) {
        this.root = root;
    }

    @Override
    public void prepare(String key, List<Path> lowerDirs) {
        prepared.put(key, lowerDirs);
        try {
            Files.createDirectories(upperDir(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void prepareContainer(String key, List<Path> lowerDirs) {
        beforePrepareContainer.accept(key);
        prepare(key, lowerDirs);
    }

    @Override
    public List<Path> lowerDirs(String key) {
        return prepared.getOrDefault(key, List.of());
    }

    @Override
    public Path mount(String key) {
        mounted.add(key);
        return upperDir(key);
    }

    @Override
    public void unmount(String key) {
        mounted.remove(key);
    }

    @Override
    public void remove(String key) {
        mounted.remove(key);
        prepared.remove(key);
        Remover.deleteTree(root.resolve(key));
    }

    @Override
    public Path upperDir(String key) {
        return root.resolve(key).resolve("upper");
    }

    @Override
    public boolean isMounted(String key) {
        return mounted.contains(key);
    }
}
