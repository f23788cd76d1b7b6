package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.sys.Sqlite;
import dev.skiff.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build step's layer keeps no tar: push, save and pulls onto another parent regenerate it from the directory. */
class LayerTarsTest {
    @TempDir
    Path tmp;
    private final List<Sqlite> dbs = new ArrayList<>();
    private LocalImageService images;
    private Image base;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for mknod and trusted xattrs");
        images = store("a");
        base = images.importRootfs(new ByteArrayInputStream(new TarBuilder().file("etc/hostname", "h").build()),
                new ImportOptions("base:1", null, null, null), Progress.NONE);
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

    /** An upper dir with everything a tar layer can carry from overlay. */
    private Path upper(String name) throws Exception {
        Path upper = Files.createDirectories(tmp.resolve("a/tmp-uppers").resolve(name));
        Path etc = Files.createDirectories(upper.resolve("etc"));
        Files.writeString(etc.resolve("motd"), "hello " + name);
        Files.createLink(etc.resolve("motd2"), etc.resolve("motd"));
        Files.createLink(etc.resolve("a-first"), etc.resolve("motd")); // sorts first: the link target is a-first
        Files.createSymbolicLink(etc.resolve("link"), Path.of("motd"));
        Syscalls.mknodChar(etc.resolve("gone"), 0, 0, 0);
        Files.setLastModifiedTime(etc.resolve("gone"), FileTime.fromMillis(1_000_000_000_000L));
        Path opaque = Files.createDirectories(upper.resolve("var/cache"));
        Syscalls.lsetxattr(opaque, "trusted.overlay.opaque", "y".getBytes());
        Syscalls.lsetxattr(etc.resolve("motd"), "user.b", "2".getBytes());
        Syscalls.lsetxattr(etc.resolve("motd"), "user.a", "1".getBytes());
        Syscalls.lsetxattr(etc.resolve("motd"), "user.bin", new byte[] {1, (byte) 0xff, 0, 2});
        Files.writeString(upper.resolve("big"), "x".repeat(3 << 20)); // more than the pipe holds at once
        return upper;
    }

    private static byte[] tarOf(Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiff.writeLayer(dir, out);
        return out.toByteArray();
    }

    private Image build(Image parent, Path upper, String tag) {
        return images.commit(new CommitRequest(parent.id(), upper, null, "RUN x", null, null, tag, true));
    }

    private static byte[] read(InputStream in) throws Exception {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void buildStepLayer_keepsNoTar_andRegeneratesTheSameBytes() throws Exception {
        Path upper = upper("one");
        byte[] original = tarOf(upper);
        Image image = build(base, upper, "app:1");
        Digest diffId = Digest.parse(image.config().rootfs().diffIds().getLast());
        assertThat(diffId).isEqualTo(Digest.sha256(original));
        assertThat(upper).doesNotExist(); // moved in as the layer

        ImageRecords.LayerBlob kept = images.records.layerBlob(diffId).orElseThrow();
        assertThat(kept.isRegenerated()).isTrue();
        assertThat(images.content.exists(diffId)).as("no tar blob").isFalse();
        assertThat(images.content.list()).hasSize(1); // the base's imported tar only
        assertThat(images.layers(image).getLast().tarSize()).isEqualTo(original.length);

        byte[] again = read(LayerTars.open(images, diffId, kept));
        assertThat(again).isEqualTo(original);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(PaxXattrs.reading(new ByteArrayInputStream(again)))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName() + (e.isLink() ? " => " + e.getLinkName() : ""));
            }
        }
        assertThat(names).contains("etc/.wh.gone", "etc/link", "etc/motd2 => etc/a-first", "var/cache/.wh..wh..opq");
    }

    /**
     * The builder's two-part commit: prepare hashes the directory and knows the image's ID while storing nothing
     * (the directory stays, readable as a lower layer meanwhile); publish moves it in and records that image.
     */
    @Test
    void prepareCommit_knowsTheIdAndStoresNothing_untilPublish() throws Exception {
        Path upper = upper("prepared");
        byte[] original = tarOf(upper);
        PreparedCommit prepared = images.prepareCommit(new CommitRequest(base.id(), upper, null, "RUN x", null, null,
                null, true));
        assertThat(prepared.diffId()).isEqualTo(Digest.sha256(original));
        assertThat(upper).isDirectory();
        assertThat(images.find(prepared.id())).isEmpty();
        assertThat(images.layers.exists(LayerStore.chainId(images.layers(base).getLast().chainId(), prepared.diffId())))
                .isFalse();

        Image image = images.publish(prepared);
        assertThat(image.id()).isEqualTo(prepared.id());
        assertThat(image.parent()).isEqualTo(base.id());
        assertThat(upper).doesNotExist(); // moved in as the layer
        assertThat(images.layers(image).getLast().diffId()).isEqualTo(prepared.diffId());
        assertThat(read(LayerTars.open(images, prepared.diffId(),
                images.records.layerBlob(prepared.diffId()).orElseThrow()))).isEqualTo(original);

        // a commit without a layer: prepared and published the same way, an empty_layer history entry
        PreparedCommit empty = images.prepareCommit(new CommitRequest(image.id(), null, null, "CMD x", null, null,
                null, true));
        assertThat(empty.diffId()).isNull();
        Image meta = images.publish(empty);
        assertThat(meta.id()).isEqualTo(empty.id());
        assertThat(meta.config().rootfs().diffIds()).isEqualTo(image.config().rootfs().diffIds());
        assertThat(meta.config().history().getLast().emptyLayer()).isTrue();
    }

    @Test
    void saveAndPush_regenerate_thenThePushKeepsTheGzip() throws Exception {
        Path upper = upper("two");
        byte[] original = tarOf(upper);
        Image image = build(base, upper, "app:2");
        Digest diffId = Digest.parse(image.config().rootfs().diffIds().getLast());

        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        images.save(List.of("app:2"), archive);
        LocalImageService b = store("b");
        assertThat(b.load(new ByteArrayInputStream(archive.toByteArray()), Progress.NONE))
                .extracting(Image::id).containsExactly(image.id());

        StoredLayer pushed = images.compressedLayer(diffId.toString());
        assertThat(pushed.mediaType()).isEqualTo(Compression.GZIP.mediaType());
        try (InputStream gz = new GZIPInputStream(images.openBlob(pushed.digest()))) {
            assertThat(gz.readAllBytes()).isEqualTo(original);
        }
        assertThat(images.records.layerBlob(diffId).orElseThrow().isRegenerated()).isFalse();
        assertThat(images.compressedLayer(diffId.toString())).isEqualTo(pushed); // kept, not compressed again
    }

    @Test
    void pullOfTheSameDiffOnAnotherParent_unpacksTheRegeneratedTar_fetchingNothing() throws Exception {
        Path upper = upper("pulled");
        byte[] original = tarOf(upper);
        Image built = build(base, upper, "app:pulled");
        Digest diffId = Digest.parse(built.config().rootfs().diffIds().getLast());
        byte[] bottom = new TarBuilder().file("other", "o").build();
        byte[] config = ("{\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256(bottom)
                + "\",\"" + diffId + "\"]}}").getBytes();
        List<LayerSource> sources = List.of(
                new LayerSource(Digest.sha256(bottom).toString(), bottom.length, () -> new ByteArrayInputStream(bottom)),
                new LayerSource(diffId.toString(), original.length, () -> {
                    throw new AssertionError("the layer is here already: nothing to fetch");
                }));
        Image pulled = images.addImage(config, sources, List.of("pulled:1"), List.of(), Progress.NONE);
        assertThat(images.layerDirs(pulled).getLast().resolve("etc/motd")).hasContent("hello pulled");
        assertThat(images.records.layerBlob(diffId).orElseThrow().isRegenerated()).isTrue();
    }

    @Test
    void loadingTheSameImageBack_keepsNoSecondCopy() throws Exception {
        Image image = build(base, upper("back"), "app:back");
        Digest diffId = Digest.parse(image.config().rootfs().diffIds().getLast());
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        images.save(List.of("app:back"), archive);
        images.load(new ByteArrayInputStream(archive.toByteArray()), Progress.NONE);
        assertThat(images.records.layerBlob(diffId).orElseThrow().isRegenerated()).isTrue();
        assertThat(images.content.exists(diffId)).isFalse();
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        images.save(List.of("app:back"), again);
        assertThat(again.toByteArray()).isEqualTo(archive.toByteArray());
    }

    @Test
    void tamperedLayerDir_failsPushAndSave_withTheWayOut() throws Exception {
        Image image = build(base, upper("three"), "app:3");
        Digest diffId = Digest.parse(image.config().rootfs().diffIds().getLast());
        Path dir = images.layerDirs(image).getLast();
        // the pre-check compares change times, whose clock ticks every few ms: tamper as a person would, later
        Thread.sleep(50);
        Files.writeString(dir.resolve("etc/motd2"), "HELLO three"); // same size, other bytes

        assertThatThrownBy(() -> images.compressedLayer(diffId.toString()))
                .hasMessageContaining(diffId.toString()).hasMessageContaining("changed after it was committed")
                .hasMessageContaining("build them again");
        assertThat(images.records.layerBlob(diffId).orElseThrow().isRegenerated()).as("no gzip kept").isTrue();
        assertThat(images.content.list()).hasSize(1);
        try (GzipLayerStream gz = images.gzipWhileReading(diffId.toString()).orElseThrow()) {
            assertThatThrownBy(() -> gz.transferTo(OutputStream.nullOutputStream()))
                    .hasMessageContaining("changed after it was committed");
        }
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        assertThatThrownBy(() -> images.save(List.of("app:3"), archive))
                .hasMessageContaining(diffId.toString()).hasMessageContaining("build them again");
        assertThat(archive.size()).as("failed before the first byte, while the client can be told").isZero();

        Files.writeString(dir.resolve("etc/extra"), "more"); // longer
        assertThatThrownBy(() -> images.compressedLayer(diffId.toString()))
                .hasMessageContaining("changed after it was committed");
    }

    @Test
    void unchangedSinceStored_byInodeChangeTimes_andAHarmlessChangeStillSaves() throws Exception {
        Image image = build(base, upper("five"), "app:5");
        Digest chain = ImageConfigs.chainIds(image.config()).getLast();
        assertThat(images.layers.unchangedSinceStored(chain)).isTrue();
        Thread.sleep(20); // past the coarse clock's tick
        Path motd = images.layers.diffDir(chain).resolve("etc/motd");
        var mode = Files.getPosixFilePermissions(motd);
        Files.setPosixFilePermissions(motd, java.util.Set.of());
        Files.setPosixFilePermissions(motd, mode); // the same tar, yet a change to look at
        assertThat(images.layers.unchangedSinceStored(chain)).isFalse();
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        images.save(List.of("app:5"), archive); // hashed to know: unchanged
        assertThat(archive.size()).isPositive();

        Files.delete(images.layers.diffDir(chain).resolve("var/cache")); // only its directory's times show it
        assertThatThrownBy(() -> images.save(List.of("app:5"), OutputStream.nullOutputStream()))
                .hasMessageContaining("changed after it was committed");
    }

    @Test
    void sameDiffOnTwoParents_removingTheFirstKeepsTheSecondsTar() throws Exception {
        Path first = upper("same");
        Path second = tmp.resolve("a/tmp-uppers/same-copy");
        Files.createDirectories(second.getParent());
        // the same tree again (cp -a keeps times, links and xattrs)
        Process cp = new ProcessBuilder("cp", "-a", first.toString(), second.toString()).inheritIO().start();
        assertThat(cp.waitFor()).isZero();
        Image one = build(base, first, "one:1");
        Path small = Files.createDirectories(tmp.resolve("a/tmp-uppers/small"));
        Files.writeString(small.resolve("small"), "s");
        Image other = build(base, small, null);
        Image two = build(other, second, "two:1");
        Digest diffId = Digest.parse(one.config().rootfs().diffIds().getLast());
        assertThat(two.config().rootfs().diffIds().getLast()).isEqualTo(diffId.toString());
        Digest chainOne = ImageConfigs.chainIds(one.config()).getLast();
        assertThat(images.records.layerBlob(diffId).orElseThrow().source()).isEqualTo(chainOne);

        images.remove("one:1", false, false, ImageUsers.NONE);
        assertThat(images.layers.exists(chainOne)).isFalse();
        ImageRecords.LayerBlob kept = images.records.layerBlob(diffId).orElseThrow();
        assertThat(kept.isRegenerated()).isTrue();
        assertThat(kept.source()).isEqualTo(ImageConfigs.chainIds(two.config()).getLast());
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        images.save(List.of("two:1"), archive);
        assertThat(store("c").load(new ByteArrayInputStream(archive.toByteArray()), Progress.NONE))
                .extracting(Image::id).containsExactly(two.id());

        images.remove("two:1", false, false, ImageUsers.NONE);
        assertThat(images.records.layerBlob(diffId)).isEmpty();
        assertThat(images.list()).extracting(Image::id).containsExactly(base.id());
    }

    @Test
    void sameDiffOnAnUnpackedParent_isStoredAsABlobBeforeItsDirectoryGoes() throws Exception {
        Path upper = upper("four");
        byte[] original = tarOf(upper);
        Image one = build(base, upper, "one:4");
        Digest diffId = Digest.parse(one.config().rootfs().diffIds().getLast());
        // The same layer on another parent, from its tar (as a pull onto another base would have it)
        Image other = images.importRootfs(new ByteArrayInputStream(new TarBuilder().file("x", "y").build()),
                new ImportOptions("other:1", null, null, null), Progress.NONE);
        Digest otherChain = ImageConfigs.chainIds(other.config()).getLast();
        try (InputStream in = LayerTars.open(images, diffId, images.records.layerBlob(diffId).orElseThrow())) {
            images.layers.apply(otherChain, in, diffId);
        }
        Files.setLastModifiedTime(images.layers.diffDir(LayerStore.chainId(otherChain, diffId)).resolve("etc"),
                FileTime.fromMillis(0)); // its files need not give the same bytes
        ImageConfig c = other.config();
        List<String> diffIds = new ArrayList<>(c.rootfs().diffIds());
        diffIds.add(diffId.toString());
        ImageConfig twoConfig = new ImageConfig(c.architecture(), c.os(), c.variant(), c.created(), null, null, null,
                c.config(), new ImageConfig.RootFs("layers", diffIds), c.history());
        images.register(ImageConfigs.bytes(twoConfig), other.id(), List.of(Reference.parse("two:4")), List.of(), null);

        images.remove("one:4", false, false, ImageUsers.NONE);
        ImageRecords.LayerBlob kept = images.records.layerBlob(diffId).orElseThrow();
        assertThat(kept.isRegenerated()).isFalse();
        try (InputStream in = images.content.open(kept.blob())) {
            assertThat(in.readAllBytes()).isEqualTo(original);
        }
    }
}
