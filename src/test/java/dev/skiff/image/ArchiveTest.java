package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import dev.skiff.sys.Sqlite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** save and load: Docker 25+ archives (both formats at once), old docker-archives and OCI layouts. */
class ArchiveTest {
    @TempDir
    Path tmp;
    private final List<Sqlite> dbs = new ArrayList<>();

    @BeforeEach
    void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    }

    @AfterEach
    void close() {
        dbs.forEach(Sqlite::close);
    }

    private LocalImageService store(String name) throws Exception {
        Sqlite db = Sqlite.open(tmp.resolve(name).resolve("skiff.db"));
        dbs.add(db);
        return LocalImageService.open(tmp.resolve(name), db);
    }

    @Test
    void save_thenLoadElsewhere_keepsIdsTagsAndLayout() throws Exception {
        LocalImageService a = store("a");
        Image base = a.importRootfs(new ByteArrayInputStream(new TarBuilder().file("etc/hostname", "h").build()),
                new ImportOptions("busybox:1", null, null, null), Progress.NONE);
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.writeString(upper.resolve("hello"), "world");
        Image child = a.commit(new CommitRequest(base.id(), upper, null, "touch hello", null, null, "app:v2"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.save(List.of("app:v2", base.id()), out);
        byte[] archive = out.toByteArray();

        Map<String, byte[]> files = untar(archive);
        assertThat(files).containsKeys("index.json", "manifest.json", "oci-layout", "repositories",
                "blobs/sha256/" + child.id().substring(7));
        for (String diffId : child.config().rootfs().diffIds()) {
            byte[] layer = files.get("blobs/sha256/" + diffId.substring(7));
            assertThat(Digest.sha256(layer).toString()).isEqualTo(diffId);
        }
        var manifest = Json.MAPPER.readTree(files.get("manifest.json"));
        assertThat(manifest.get(0).get("RepoTags").get(0).asText()).isEqualTo("app:v2");
        assertThat(manifest.get(1).get("RepoTags").isNull()).isTrue();
        var index = Json.MAPPER.readTree(files.get("index.json"));
        assertThat(index.get("manifests").get(0).get("annotations").get("io.containerd.image.name").asText())
                .isEqualTo("docker.io/library/app:v2");

        List<String> progress = new ArrayList<>();
        LocalImageService b = store("b");
        List<Image> loaded = b.load(new ByteArrayInputStream(archive), (id, status, cur, total) -> progress.add(status));
        assertThat(loaded).extracting(Image::id).containsExactly(child.id(), base.id());
        assertThat(loaded.getFirst().repoTags()).containsExactly("docker.io/library/app:v2");
        assertThat(b.resolve("app:v2").id()).isEqualTo(child.id());
        assertThat(b.layerDirs(b.resolve("app:v2")).getLast().resolve("hello")).hasContent("world");
        assertThat(progress).contains("Loading layer");

        // docker save | gzip loads as is.
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(gz)) {
            zip.write(archive);
        }
        LocalImageService g = store("g");
        assertThat(g.load(new ByteArrayInputStream(gz.toByteArray()), Progress.NONE)).hasSize(2);

        // The OCI half alone loads too, tags from the index annotations.
        Map<String, byte[]> oci = new java.util.LinkedHashMap<>(files);
        oci.remove("manifest.json");
        oci.remove("repositories");
        LocalImageService c = store("c");
        assertThat(c.load(new ByteArrayInputStream(tar(oci)), Progress.NONE)).extracting(Image::id).contains(child.id());
        assertThat(c.resolve("app:v2").id()).isEqualTo(child.id());
    }

    @Test
    void load_handMadeOldDockerArchive_withGzipLayerAndSymlink() throws Exception {
        byte[] layer = new TarBuilder().file("bin/hello", "hi").build();
        String diffId = Digest.sha256(layer).toString();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/hello\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\",\"" + diffId + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        String configName = Digest.sha256(config).hex() + ".json";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(layer);
        }
        byte[] manifest = ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"hello:old\"],"
                + "\"Layers\":[\"aaa/layer.tar\",\"bbb/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8);
        byte[] archive = new TarBuilder()
                .dir("aaa", 0755).fileBytes("aaa/layer.tar", gz.toByteArray())
                .dir("bbb", 0755).symlink("bbb/layer.tar", "../aaa/layer.tar")
                .fileBytes(configName, config).fileBytes("manifest.json", manifest).build();

        LocalImageService s = store("s");
        List<Image> loaded = s.load(new ByteArrayInputStream(archive), Progress.NONE);
        assertThat(loaded).hasSize(1);
        Image image = s.resolve("hello:old");
        assertThat(image.id()).isEqualTo(Digest.sha256(config).toString());
        assertThat(s.layerDirs(image)).hasSize(2);
        assertThat(s.layerDirs(image).getFirst().resolve("bin/hello")).hasContent("hi");
    }

    @Test
    void load_corruptArchives_leaveNoImage() throws Exception {
        LocalImageService s = store("s");
        byte[] layer = new TarBuilder().file("x", "1").build();
        byte[] config = ("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256("other") + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] wrongDiffId = new TarBuilder().fileBytes("l.tar", layer).fileBytes("c.json", config)
                .fileBytes("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"l.tar\"]}]"
                        .getBytes(StandardCharsets.UTF_8)).build();
        assertThatThrownBy(() -> s.load(new ByteArrayInputStream(wrongDiffId), Progress.NONE))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("failed verification");
        assertThatThrownBy(() -> s.load(new ByteArrayInputStream(java.util.Arrays.copyOf(wrongDiffId, 700)), Progress.NONE))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> s.load(new ByteArrayInputStream("not a tar".getBytes()), Progress.NONE))
                .isInstanceOf(InvalidArgumentException.class);
        byte[] missingLayer = new TarBuilder().fileBytes("c.json", config)
                .fileBytes("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"gone.tar\"]}]"
                        .getBytes(StandardCharsets.UTF_8)).build();
        assertThatThrownBy(() -> s.load(new ByteArrayInputStream(missingLayer), Progress.NONE))
                .hasMessageContaining("has no file gone.tar");
        assertThat(s.list()).isEmpty();
        try (Stream<Path> left = Files.list(tmp.resolve("s/tmp/images"))) {
            assertThat(left).isEmpty();
        }
        assertThat(s.collectGarbage()).isEmpty();
        try (Stream<Path> layers = Files.list(tmp.resolve("s/layers"))) {
            assertThat(layers).isEmpty();
        }
        try (Stream<Path> blobs = Files.list(tmp.resolve("s/content/blobs/sha256"))) {
            assertThat(blobs).as("files the failed loads stored are gone").isEmpty();
        }
    }

    @Test
    void load_archiveCutInsideALargeLayer_failsAndLeavesNothing() throws Exception {
        byte[] big = new byte[3 << 20];
        new java.util.Random(5).nextBytes(big);
        byte[] layer = new TarBuilder().fileBytes("data.bin", big).build();
        byte[] archive = new TarBuilder().fileBytes("l.tar", layer).fileBytes("c.json", "{}".getBytes(StandardCharsets.UTF_8))
                .build();
        LocalImageService s = store("s");
        // cut after the first 2 MiB of the layer: the blob is being stored, and unpacked on another thread
        byte[] cut = java.util.Arrays.copyOf(archive, 512 + (2 << 20));
        assertThatThrownBy(() -> s.load(new ByteArrayInputStream(cut), Progress.NONE))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(s.list()).isEmpty();
        for (String dir : new String[] {"s/content/blobs/sha256", "s/content/ingest", "s/tmp/images"}) {
            try (Stream<Path> left = Files.list(tmp.resolve(dir))) {
                assertThat(left).as("nothing of the cut archive is left in " + dir).isEmpty();
            }
        }
    }

    @Test
    void load_largeLayer_isStoredOnceAsItsBlob_andLoadingAgainKeepsIt() throws Exception {
        byte[] big = new byte[3 << 20];
        new java.util.Random(3).nextBytes(big);
        byte[] layer = new TarBuilder().fileBytes("data.bin", big).build();
        Digest diffId = Digest.sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] archive = new TarBuilder().fileBytes(diffId.hex() + "/layer.tar", layer).fileBytes("c.json", config)
                .fileBytes("unused.bin", big).fileBytes("manifest.json",
                        ("[{\"Config\":\"c.json\",\"RepoTags\":[\"big:1\"],\"Layers\":[\"" + diffId.hex()
                                + "/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8)).build();
        LocalImageService twice = store("twice");
        byte[] config2 = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffId + "\",\"" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] sameLayerTwice = new TarBuilder().fileBytes("a/layer.tar", layer).symlink("b/layer.tar", "../a/layer.tar")
                .fileBytes("c.json", config2).fileBytes("manifest.json",
                        "[{\"Config\":\"c.json\",\"RepoTags\":[\"twice:1\"],\"Layers\":[\"a/layer.tar\",\"b/layer.tar\"]}]"
                                .getBytes(StandardCharsets.UTF_8)).build();
        Image two = twice.load(new ByteArrayInputStream(sameLayerTwice), Progress.NONE).getFirst();
        assertThat(twice.layerDirs(two)).hasSize(2).allSatisfy(d -> assertThat(d.resolve("data.bin")).hasBinaryContent(big));
        try (Stream<Path> left = Files.list(tmp.resolve("twice/tmp/images"))) {
            assertThat(left).as("nothing unpacked ahead is left behind").isEmpty();
        }
        LocalImageService s = store("s");
        for (int i = 0; i < 2; i++) {
            Image image = s.load(new ByteArrayInputStream(archive), Progress.NONE).getFirst();
            assertThat(s.layerDirs(image).getFirst().resolve("data.bin")).hasBinaryContent(big);
            assertThat(s.storedLayer(diffId.toString()).orElseThrow().digest()).isEqualTo(diffId.toString());
            try (Stream<Path> blobs = Files.list(tmp.resolve("s/content/blobs/sha256"))) {
                assertThat(blobs.map(p -> p.getFileName().toString())).as("only the layer is kept").containsExactly(diffId.hex());
            }
            try (Stream<Path> left = Files.list(tmp.resolve("s/tmp/images"))) {
                assertThat(left).as("nothing unpacked ahead is left behind").isEmpty();
            }
        }
    }

    static Map<String, byte[]> untar(byte[] archive) throws Exception {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    files.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    private static byte[] tar(Map<String, byte[]> files) {
        TarBuilder t = new TarBuilder();
        files.forEach(t::fileBytes);
        return t.build();
    }
}
