package dev.skiff.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** An overlay layer store whose purge, once armed, waits at a gate: a big layer's files being removed. */
final class GatedPurgeLayerStore implements LayerStore {
    private final LayerStore inner;
    final CountDownLatch purging = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    volatile boolean armed;

    GatedPurgeLayerStore(LayerStore inner) {
        this.inner = inner;
    }

    @Override
    public void purge() throws IOException {
        if (armed) {
            purging.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inner.purge();
    }

    @Override
    public Layer apply(Digest parent, InputStream layerTar, Digest expectedDiffId) throws IOException {
        return inner.apply(parent, layerTar, expectedDiffId);
    }

    @Override
    public Layer applyUnordered(Digest parent, InputStream layerTar, Digest expectedDiffId, BeforeVisible beforeVisible)
            throws IOException {
        return inner.applyUnordered(parent, layerTar, expectedDiffId, beforeVisible);
    }

    @Override
    public Layer applyVerified(Digest parent, InputStream plainTar, Digest diffId, BeforeVisible beforeVisible)
            throws IOException {
        return inner.applyVerified(parent, plainTar, diffId, beforeVisible);
    }

    @Override
    public Layer adopt(Digest parent, Path dir, Digest diffId, long tarSize) throws IOException {
        return inner.adopt(parent, dir, diffId, tarSize);
    }

    @Override
    public Optional<Layer> get(Digest chainId) {
        return inner.get(chainId);
    }

    @Override
    public Path diffDir(Digest chainId) {
        return inner.diffDir(chainId);
    }

    @Override
    public List<Layer> list() throws IOException {
        return inner.list();
    }

    @Override
    public boolean delete(Digest chainId) throws IOException {
        return inner.delete(chainId);
    }
}
