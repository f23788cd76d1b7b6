package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Sqlite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull-shaped stores: parallel layers, single flight across concurrent pulls, blob verification, push gzip. */
class ImageAdderTest {
    @TempDir
    Path root;
    private Sqlite db;
    private LocalImageService images;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        db = Sqlite.open(root.resolve("skiff.db"));
        images = LocalImageService.open(root, db);
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] config(List<byte[]> tars) {
        List<String> ids = tars.stream().map(t -> "\"" + Digest.sha256(t) + "\"").toList();
        return ("{\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", ids) + "]}}")
                .getBytes();
    }

    @Test
    void twoConcurrentPulls_openEachLayerOnce_andBothGetTheImage() throws Exception {
        List<byte[]> tars = List.of(new TarBuilder().file("a", "a").build(), new TarBuilder().file("b", "b").build(),
                new TarBuilder().file("c", "c").build());
        byte[] config = config(tars);
        Map<String, AtomicInteger> opens = new ConcurrentHashMap<>();
        CountDownLatch release = new CountDownLatch(1);
        List<LayerSource> sources = new ArrayList<>();
        for (byte[] tar : tars) {
            byte[] gz = gzip(tar);
            String blob = Digest.sha256(gz).toString();
            sources.add(new LayerSource(Digest.sha256(tar).toString(), gz.length, () -> {
                opens.computeIfAbsent(blob, k -> new AtomicInteger()).incrementAndGet();
                try {
                    release.await(10, TimeUnit.SECONDS); // both pulls are under way before any layer lands
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return new ByteArrayInputStream(gz);
            }, blob));
        }
        List<String> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        Progress progress = (id, status, c, t) -> statuses.add(status);
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Image> a = pool.submit(() -> images.addImage(config, sources, List.of("one:1"), List.of(), progress, 3));
            Future<Image> b = pool.submit(() -> images.addImage(config, sources, List.of("two:1"), List.of(), progress, 3));
            Thread.sleep(300);
            release.countDown();
            assertThat(a.get().id()).isEqualTo(b.get().id());
        }
        assertThat(opens.values()).hasSize(3).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(statuses).contains("Pulling fs layer", "Pull complete", "Extracting");
        assertThat(images.layerDirs(images.resolve("two:1"))).allSatisfy(d -> assertThat(Files.isDirectory(d)).isTrue());
    }

    @Test
    void blobWithTheWrongDigest_isRefused_andNothingIsKept() throws Exception {
        byte[] tar = new TarBuilder().file("x", "x").build();
        byte[] gz = gzip(tar);
        String wrong = "sha256:" + "e".repeat(64);
        LayerSource source = new LayerSource(Digest.sha256(tar).toString(), gz.length, () -> new ByteArrayInputStream(gz),
                wrong);
        assertThatThrownBy(() -> images.addImage(config(List.of(tar)), List.of(source), List.of("bad:1"), List.of(),
                Progress.NONE, 3)).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("failed verification");
        assertThat(images.find("bad:1")).isEmpty();
        assertThat(images.layers.exists(Digest.sha256(tar))).isFalse();
        assertThat(images.content.list()).isEmpty();
    }

    @Test
    void compressedLayer_gzipsAPlainLayerOnce_andKeepsTheGzip() throws Exception {
        byte[] tar = new TarBuilder().file("bin/sh", "sh").build();
        Image image = images.importRootfs(new ByteArrayInputStream(tar), new ImportOptions("plain", List.of(), null, null),
                Progress.NONE);
        String diffId = image.config().rootfs().diffIds().getFirst();
        assertThat(images.storedLayer(diffId).orElseThrow().digest()).isEqualTo(diffId);
        StoredLayer gz = images.compressedLayer(diffId);
        assertThat(gz.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(images.compressedLayer(diffId)).isEqualTo(gz);
        assertThat(images.storedLayer(diffId)).contains(gz);
        try (InputStream in = new GZIPInputStream(images.openBlob(gz.digest()))) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
        assertThat(images.content.exists(Digest.parse(diffId))).as("the plain copy is gone").isFalse();
    }

    @Test
    void gzipWhileReading_sendsTheBytesCompressedLayerKeeps_andKeepsThemOnceReadToTheEnd() throws Exception {
        byte[] big = new byte[5 << 20];
        new java.util.Random(5).nextBytes(big);
        byte[] tar = new TarBuilder().fileBytes("noise.bin", big).file("etc/words", "word ".repeat(300_000)).build();
        Image image = images.importRootfs(new ByteArrayInputStream(tar), new ImportOptions("plain", List.of(), null, null),
                Progress.NONE);
        String diffId = image.config().rootfs().diffIds().getFirst();
        try (GzipLayerStream abandoned = images.gzipWhileReading(diffId).orElseThrow()) {
            abandoned.readNBytes(1000);
        }
        assertThat(images.storedLayer(diffId).orElseThrow().digest()).as("an unfinished stream keeps nothing").isEqualTo(diffId);
        byte[] sent;
        StoredLayer stored;
        try (GzipLayerStream gz = images.gzipWhileReading(diffId).orElseThrow()) {
            sent = gz.readAllBytes();
            stored = gz.stored();
        }
        assertThat(stored.digest()).isEqualTo(Digest.sha256(sent).toString());
        assertThat(stored.size()).isEqualTo(sent.length);
        assertThat(images.storedLayer(diffId)).contains(stored);
        assertThat(images.compressedLayer(diffId)).isEqualTo(stored);
        assertThat(images.gzipWhileReading(diffId)).as("kept compressed now: pushed as is").isEmpty();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(sent))) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
        assertThat(images.content.list()).containsExactly(Digest.parse(stored.digest()));
    }
}
