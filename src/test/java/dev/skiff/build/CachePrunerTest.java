package dev.skiff.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.build.cache.BuildCache;
import dev.skiff.build.exec.CacheMounts;
import dev.skiff.image.CommitRequest;
import dev.skiff.image.Image;
import dev.skiff.image.ImageUsers;
import dev.skiff.image.ImportOptions;
import dev.skiff.image.LocalImageService;
import dev.skiff.image.Progress;
import dev.skiff.sys.Sqlite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** builder prune over a real image store and cache table: what frees space goes, in the order that frees it. */
class CachePrunerTest {
    @TempDir
    Path root;
    private Sqlite db;
    private LocalImageService images;
    private BuildCache cache;
    private CachePruner pruner;
    private Image base;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (the image store unpacks layers)");
        db = Sqlite.open(root.resolve("skiff.db"));
        images = LocalImageService.open(root.resolve("images"), db);
        cache = new BuildCache(db);
        pruner = new CachePruner(images, cache, new CacheMounts(root.resolve("cache")), ImageUsers.NONE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            byte[] data = "base\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("file");
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        base = images.importRootfs(new ByteArrayInputStream(bytes.toByteArray()),
                new ImportOptions("base:1", List.of(), null, null), Progress.NONE);
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    /** A step image on {@code parent} with a cache record of {@code size} bytes last used at {@code usedMillis}. */
    private Image step(Image parent, String name, long size, long usedMillis, String tag) {
        Image image = images.commit(new CommitRequest(parent.id(), null, parent.config().config(),
                "/bin/sh -c #(nop) LABEL step=" + name, null, null, tag));
        cache.put("key-" + name, image.id(), parent.id(), name, size, usedMillis);
        return image;
    }

    private boolean exists(Image image) {
        return images.list().stream().anyMatch(i -> i.id().equals(image.id()));
    }

    @Test
    void prune_dropsRecordsOfTheirOwn_childrenFirst_andKeepsSharedOnesUnlessAll() {
        Image s1 = step(base, "s1", 10, 1000, null);
        Image s2 = step(s1, "s2", 20, 2000, null);
        Image shared = step(base, "shared", 40, 3000, null);
        Image app = images.commit(new CommitRequest(shared.id(), null, shared.config().config(), "/bin/sh -c #(nop) CMD x",
                null, null, "app:1"));

        BuildService.PruneReport report = pruner.prune(false, null);
        assertThat(report.reclaimed()).isEqualTo(30);
        assertThat(report.deleted()).hasSize(2);
        assertThat(exists(s1) || exists(s2)).isFalse();
        assertThat(cache.all()).extracting(r -> r.description()).containsExactly("shared");

        report = pruner.prune(true, null);
        assertThat(report.reclaimed()).as("the tagged image keeps its layers").isZero();
        assertThat(cache.all()).isEmpty();
        assertThat(exists(shared) && exists(app) && exists(base)).isTrue();
    }

    @Test
    void pruneTo_removesTheLeastRecentlyUsed_untilTheCacheFits() {
        Image a = step(base, "a", 100, 1000, null);
        Image b = step(base, "b", 100, 2000, null);
        Image c = step(base, "c", 100, 3000, null);
        BuildService.PruneReport report = pruner.pruneTo(null, new BuildService.SpaceLimits(150, 0, 0), () -> 1L << 40);
        assertThat(report.reclaimed()).isEqualTo(200);
        assertThat(exists(a) || exists(b)).isFalse();
        assertThat(exists(c)).isTrue();
        assertThat(cache.all()).extracting(r -> r.description()).containsExactly("c");
    }

    /** An image with a child frees nothing: its child goes first, and then, in a later pass, it. */
    @Test
    void pruneTo_takesAChildBeforeItsParent_andTheParentOnlyWhenStillOver() {
        Image parent = step(base, "parent", 100, 1000, null);
        Image child = step(parent, "child", 100, 2000, null);
        BuildService.PruneReport one = pruner.pruneTo(null, new BuildService.SpaceLimits(150, 0, 0), () -> 1L << 40);
        assertThat(one.reclaimed()).isEqualTo(100);
        assertThat(exists(child)).as("the newer child goes: the older parent freed nothing while it had one").isFalse();
        assertThat(exists(parent)).isTrue();

        Image again = step(parent, "again", 100, 3000, null);
        BuildService.PruneReport both = pruner.pruneTo(null, new BuildService.SpaceLimits(1, 0, 0), () -> 1L << 40);
        assertThat(both.reclaimed()).isEqualTo(200);
        assertThat(exists(again) || exists(parent)).isFalse();
        assertThat(exists(base)).isTrue();
    }
}
