package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.sys.Json;
import dev.skiff.sys.Sqlite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image service on a temp root; unpacking needs root (chown, mknod), so it is skipped otherwise. */
class LocalImageServiceTest {
    @TempDir
    Path root;
    private Sqlite db;
    private LocalImageService images;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        db = Sqlite.open(root.resolve("skiff.db"));
        images = LocalImageService.open(root, db);
        images.addListener((action, id, attrs) -> events.add(action + " " + attrs.getOrDefault("name", "")));
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private Image importTar(String ref, String... files) {
        TarBuilder tar = new TarBuilder();
        for (String f : files) {
            tar.file(f, f);
        }
        return images.importRootfs(new ByteArrayInputStream(tar.build()),
                new ImportOptions(ref, List.of("CMD [\"/bin/sh\"]", "ENV A=1 B=\"two words\"", "EXPOSE 80",
                        "LABEL x=y"), null, null), Progress.NONE);
    }

    @Test
    void importRootfs_recordsConfigLayerAndTag() throws Exception {
        Image image = importTar("busybox", "bin/sh");
        assertThat(image.id()).isEqualTo(Digest.sha256(images.configBytes(image.id())).toString());
        assertThat(image.repoTags()).containsExactly("docker.io/library/busybox:latest");
        assertThat(image.config().config().cmd()).containsExactly("/bin/sh");
        assertThat(image.config().config().env()).containsExactly("A=1", "B=two words");
        assertThat(image.config().config().exposedPorts()).containsKey("80/tcp");
        assertThat(image.config().config().labels()).containsEntry("x", "y");
        assertThat(image.config().history().getFirst().comment()).isEqualTo("Imported from -");
        assertThat(image.size()).isEqualTo(6);
        List<Path> dirs = images.layerDirs(image);
        assertThat(dirs).hasSize(1);
        assertThat(dirs.getFirst().resolve("bin/sh")).hasContent("bin/sh");
        assertThat(events).containsSubsequence("tag busybox:latest", "import "); // dockerd's order
    }

    @Test
    void configs_areParsedOncePerImage_sharedFrozen_andForgottenWithTheImage() throws Exception {
        Image image = importTar("cached", "a");
        ImageConfig first = images.list().getFirst().config();
        assertThat(images.list().getFirst().config()).isSameAs(first);
        assertThat(images.resolve("cached").config()).isSameAs(first);
        // shared between requests, so nothing may change it, nested values included
        assertThatThrownBy(() -> first.config().env().add("B=2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.config().labels().put("k", "v"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.history().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.rootfs().diffIds().clear()).isInstanceOf(UnsupportedOperationException.class);
        // the frozen copy writes the same JSON as the bytes it came from
        assertThat(Json.MAPPER.readTree(ImageConfigs.bytes(first)))
                .isEqualTo(Json.MAPPER.readTree(images.configBytes(image.id())));

        assertThat(images.holdsParsedConfig(image.id())).isTrue();
        images.remove("cached", false, false, ImageUsers.NONE);
        assertThat(images.holdsParsedConfig(image.id())).isFalse();
        assertThat(images.list()).isEmpty();
    }

    @Test
    void freeze_keepsNullsAndNestedValues() throws Exception {
        ImageConfig parsed = ImageConfigs.parse(("{\"config\":{\"Cmd\":null,\"Env\":[\"A=1\",null],"
                + "\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":5}},\"history\":null}").getBytes());
        ImageConfig frozen = ImageConfigs.freeze(parsed);
        assertThat(frozen).isEqualTo(parsed);
        assertThat(frozen.config().cmd()).isNull();
        assertThat(frozen.config().env()).containsExactly("A=1", null);
        @SuppressWarnings("unchecked")
        List<Object> test = (List<Object>) frozen.config().healthcheck().get("Test");
        assertThatThrownBy(() -> test.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void resolve_byRefIdPrefixAndDigestForm() {
        Image image = importTar("foo/bar:1", "a");
        String hex = image.id().substring(7);
        assertThat(images.resolve("foo/bar:1").id()).isEqualTo(image.id());
        assertThat(images.resolve("docker.io/foo/bar:1").id()).isEqualTo(image.id());
        assertThat(images.resolve(image.id()).id()).isEqualTo(image.id());
        assertThat(images.resolve(hex.substring(0, 12)).id()).isEqualTo(image.id());
        assertThat(images.resolve("sha256:" + hex.substring(0, 5)).id()).isEqualTo(image.id());
        assertThatThrownBy(() -> images.resolve("foo/bar")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: foo/bar:latest");
        assertThatThrownBy(() -> images.resolve("docker.io/library/nope")).hasMessage("No such image: nope:latest");
        assertThatThrownBy(() -> images.resolve("sha256:0123")).hasMessage("No such image: sha256:0123");
    }

    @Test
    void importRootfs_gzipAndCorrupt() throws Exception {
        byte[] tar = new TarBuilder().file("x", "y").build();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        Image a = images.importRootfs(new ByteArrayInputStream(gz.toByteArray()), new ImportOptions(null, null, null, null),
                Progress.NONE);
        assertThat(a.config().rootfs().diffIds()).containsExactly(Digest.sha256(tar).toString());
        byte[] truncated = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
        assertThatThrownBy(() -> images.importRootfs(new ByteArrayInputStream(truncated),
                new ImportOptions("broken", null, null, null), Progress.NONE)).isInstanceOf(InvalidArgumentException.class);
        assertThat(images.find("broken")).isEmpty();
        assertThatThrownBy(() -> images.importRootfs(new ByteArrayInputStream("just some text, not a tar".getBytes()),
                new ImportOptions("text", null, null, null), Progress.NONE)).isInstanceOf(InvalidArgumentException.class);
        assertThat(images.list()).hasSize(1);
    }

    @Test
    void commitFromCache_reusesAStoredLayerAndHistoryEntry_andRefusesALayerTheStoreLacks() throws Exception {
        Image base = importTar("base", "a");
        Path upper = Files.createDirectories(root.resolve("upper"));
        Files.writeString(upper.resolve("made"), "m");
        Image built = images.commit(new CommitRequest(base.id(), upper, base.config().config(), "/bin/sh -c make",
                null, null, null));
        ImageConfig.History step = built.config().history().getLast();
        String layer = built.config().rootfs().diffIds().getLast();

        Image again = images.commitFromCache(base.id(), base.config().config(), step, layer);
        assertThat(again.parent()).isEqualTo(base.id());
        assertThat(again.config().rootfs().diffIds()).isEqualTo(built.config().rootfs().diffIds());
        assertThat(again.config().history()).isEqualTo(built.config().history());
        assertThat(again.config().created()).isEqualTo(step.created());
        assertThat(images.layerDirs(again).getLast().resolve("made")).hasContent("m");

        assertThatThrownBy(() -> images.commitFromCache(base.id(), base.config().config(), step,
                "sha256:" + "0".repeat(64))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("is not in the store over " + base.id());
    }

    @Test
    void commit_addsLayerAndHistory_andEmptyLayerForNullDiff() throws Exception {
        Image base = importTar("base", "a");
        Path upper = Files.createDirectories(root.resolve("upper"));
        Files.writeString(upper.resolve("new"), "n");
        ImageConfig.Config cfg = ConfigChanges.apply(base.config().config(), List.of("CMD echo hi"));
        Image child = images.commit(new CommitRequest(base.id(), upper, cfg, "/bin/sh -c touch new", "me", "msg", "child:1"));
        assertThat(child.parent()).isEqualTo(base.id());
        assertThat(child.config().rootfs().diffIds()).hasSize(2).startsWith(base.config().rootfs().diffIds().getFirst());
        assertThat(child.config().config().cmd()).containsExactly("/bin/sh", "-c", "echo hi");
        assertThat(images.layerDirs(child).getLast().resolve("new")).hasContent("n");
        Image step = images.commit(new CommitRequest(child.id(), null, cfg, "/bin/sh -c #(nop) CMD x", null, null, null));
        assertThat(step.config().rootfs().diffIds()).hasSize(2);
        assertThat(step.config().history().getLast().emptyLayer()).isTrue();

        List<HistoryEntry> history = images.history(step.id());
        assertThat(history).hasSize(3);
        assertThat(history.get(0).id()).isEqualTo(step.id());
        assertThat(history.get(1).id()).isEqualTo(child.id());
        assertThat(history.get(1).createdBy()).isEqualTo("/bin/sh -c touch new");
        assertThat(history.get(1).size()).isEqualTo(1);
        assertThat(history.get(2).id()).isEqualTo(base.id());
    }

    @Test
    void remove_untagsThenDeletes_withDockersConflicts() {
        Image image = importTar("one", "a");
        images.tag("one", "two:x");
        assertThatThrownBy(() -> images.remove(image.id().substring(7, 19), false, false, ImageUsers.NONE))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("(must be forced) - image is referenced in multiple repositories");
        assertThat(images.remove("two:x", false, false, ImageUsers.NONE)).containsExactly(RemovedEntry.untagged("two:x"));
        assertThat(events).contains("untag " + image.id()); // dockerd's untag event names the image, not the tag
        assertThatThrownBy(() -> images.remove("one", false, false, TestUsers.stopped(id -> true)))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("unable to remove repository reference \"one\" (must force)");
        List<RemovedEntry> removed = images.remove("one", false, false, ImageUsers.NONE);
        assertThat(removed.getFirst()).isEqualTo(RemovedEntry.untagged("one:latest"));
        assertThat(removed).contains(RemovedEntry.deleted(image.id()));
        assertThat(images.list()).isEmpty();
        assertThat(images.layerDirs(image).getFirst()).doesNotExist();
    }

    @Test
    void remove_forcedPastAStoppedContainer_deletesTheImage_butKeepsItsLayersUntilTheContainerGoes() throws Exception {
        Image image = importTar("used", "a");
        Path layer = images.layerDirs(image).getFirst();
        java.util.concurrent.atomic.AtomicBoolean containerLeft = new java.util.concurrent.atomic.AtomicBoolean(true);
        ImageUsers users = TestUsers.stopped(id -> containerLeft.get() && id.equals(image.id()));
        assertThat(images.remove(image.id(), true, false, users))
                .containsExactly(RemovedEntry.untagged("used:latest"), RemovedEntry.deleted(image.id()));
        assertThat(images.find(image.id())).isEmpty(); // as dockerd: no image to name any more
        assertThat(images.list()).isEmpty();
        assertThat(layer).exists(); // the container still runs on it
        images.prune(true, i -> true, ImageUsers.NONE); // nothing of it to prune
        assertThat(layer).exists();
        images.releaseUnused(users); // the container is still there
        assertThat(layer).exists();
        // a restart of the store keeps what it kept
        images = LocalImageService.open(root, db);
        assertThat(layer).exists();
        containerLeft.set(false);
        images.releaseUnused(users);
        assertThat(layer).doesNotExist();
    }

    @Test
    void resolveAndHold_aForcedRemovalRacingTheLookup_keepsTheLayersForTheContainerBeingCreated() throws Exception {
        Image image = importTar("racy", "a");
        Path layer = images.layerDirs(image).getFirst();
        java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ImageUsers users = TestUsers.stopped(held::contains);
        Thread[] remover = new Thread[1];
        Image found = images.resolveAndHold("racy", id -> {
            // an `rmi -f` arriving between the lookup and the hold: it waits for the hold, then sees the user
            remover[0] = Thread.ofPlatform().start(() -> images.remove("racy", true, false, users));
            try {
                remover[0].join(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(images.find(id)).as("removed before the hold was taken").isPresent();
            held.add(id);
        });
        remover[0].join();
        assertThat(found.id()).isEqualTo(image.id());
        assertThat(images.find(image.id())).isEmpty(); // forced: the image goes, as dockerd's does
        assertThat(layer).as("the new container's layer").exists();
        held.clear(); // the create failed, or its container was removed
        images.releaseUnused(users);
        assertThat(layer).doesNotExist();
    }

    @Test
    void remove_deletesTheLayersFilesOutsideTheLock_soLookupsGoOnMeanwhile() throws Exception {
        GatedPurgeLayerStore layers = new GatedPurgeLayerStore(new OverlayLayerStore(root));
        images = new LocalImageService(new FileContentStore(root), layers, db, root.resolve("tmp/images"));
        Image doomed = importTar("doomed", "a");
        Image other = importTar("other", "b");
        Path layer = images.layerDirs(doomed).getFirst();
        layers.armed = true;
        Thread remover = Thread.ofPlatform().start(() -> images.remove("doomed", false, false, ImageUsers.NONE));
        try {
            assertThat(layers.purging.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // the removal is done as far as anyone can see, its files are still going: a create's lookup goes on
            assertThat(images.find("doomed")).isEmpty();
            java.util.concurrent.CompletableFuture<Image> lookup = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> images.resolveAndHold("other", id -> { }));
            assertThat(lookup.get(10, java.util.concurrent.TimeUnit.SECONDS).id()).isEqualTo(other.id());
            assertThat(layer).as("gone from its place at once").doesNotExist();
            assertThat(deletedLayerDirs()).as("its files, renamed aside until the purge").hasSize(1);
        } finally {
            layers.gate.countDown();
            remover.join();
        }
        assertThat(deletedLayerDirs()).isEmpty();
    }

    private List<Path> deletedLayerDirs() throws java.io.IOException {
        try (var left = Files.list(root.resolve("layers"))) {
            return left.filter(p -> p.getFileName().toString().startsWith(".tmp-del-")).toList();
        }
    }

    @Test
    void commit_ofFilesThatGoAway_saysWhatHappened_andKeepsNothing() throws Exception {
        Image base = importTar("base", "a");
        Path gone = root.resolve("removed-container/upper"); // docker rm -f took it during the commit
        assertThatThrownBy(() -> images.commit(new CommitRequest(base.id(), gone, null, "sh", null, null, "kept")))
                .hasMessageContaining("went away while it was read")
                .hasMessageContaining("was the container removed or its files changed during the commit?");
        assertThat(images.find("kept")).isEmpty();
    }

    @Test
    void remove_aRunningContainersImage_cannotBeForced_andNothingIsUntagged() {
        Image image = importTar("run1", "a");
        images.tag("run1", "run2:x");
        ImageUsers running = TestUsers.running(image.id()::equals);
        assertThatThrownBy(() -> images.remove(image.id(), true, false, running)).isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to delete " + image.id().substring(7, 19)
                        + " (cannot be forced) - image is being used by running container c0ffee000000");
        assertThat(images.find("run1").map(Image::repoTags).orElseThrow()).hasSize(2);
        // by name, forced: the name goes, the image stays for its container (dockerd's quiet conflict)
        assertThat(images.remove("run2:x", true, false, running)).containsExactly(RemovedEntry.untagged("run2:x"));
        assertThat(images.remove("run1", true, false, running)).containsExactly(RemovedEntry.untagged("run1:latest"));
        assertThat(images.find(image.id())).isPresent();
        assertThatThrownBy(() -> images.remove(image.id(), false, false, TestUsers.stopped(image.id()::equals)))
                .hasMessageEndingWith("(must be forced) - image is being used by stopped container c0ffee000000");
    }

    @Test
    void remove_byIdWithForce_removesAllTags_butNeverParents() throws Exception {
        Image base = importTar("base", "a");
        images.commit(new CommitRequest(base.id(), null, null, "#(nop)", null, null, "kid"));
        assertThatThrownBy(() -> images.remove(base.id(), true, false, ImageUsers.NONE))
                .hasMessageContaining("image has dependent child images");
        images.tag("base", "again");
        images.remove("kid", false, false, ImageUsers.NONE);
        List<RemovedEntry> removed = images.remove(base.id(), true, false, ImageUsers.NONE);
        assertThat(removed).contains(RemovedEntry.untagged("base:latest"), RemovedEntry.untagged("again:latest"),
                RemovedEntry.deleted(base.id()));
    }

    @Test
    void prune_danglingOnly_thenAll() {
        Image kept = importTar("kept", "a");
        Image dangling = importTar(null, "b");
        Image byDigest = importTar(null, "c");
        String digestRef = "127.0.0.1:5000/pulled@sha256:" + "d".repeat(64);
        images.addRepoDigest(byDigest.id(), digestRef);
        PruneResult r = images.prune(false, i -> true, ImageUsers.NONE);
        assertThat(r.removed()).contains(RemovedEntry.deleted(dangling.id()));
        // without a tag it is dangling, its digest notwithstanding (dockerd untags the digest and deletes it)
        assertThat(r.removed()).contains(RemovedEntry.untagged(digestRef), RemovedEntry.deleted(byDigest.id()));
        assertThat(r.spaceReclaimed()).isEqualTo(2);
        assertThat(images.list()).extracting(Image::id).containsExactly(kept.id());
        assertThat(images.prune(true, i -> true, TestUsers.stopped(id -> true)).removed()).isEmpty();
        assertThat(images.prune(true, i -> true, ImageUsers.NONE).removed()).contains(RemovedEntry.deleted(kept.id()));
    }

    @Test
    void prune_reportsAParentThatWentWithItsChildOnce() throws Exception {
        Image base = importTar("base", "a");
        // a build's steps, its tag since moved on: each step an untagged image, the last one dangling
        Image step1 = images.commit(new CommitRequest(base.id(), null, null, "#(nop) ENV A=1", null, null, null));
        Image step2 = images.commit(new CommitRequest(step1.id(), null, null, "#(nop) ENV B=2", null, null, null));
        Image step3 = images.commit(new CommitRequest(step2.id(), null, null, "#(nop) LABEL x=1", null, null, null));
        List<RemovedEntry> removed = images.prune(false, i -> true, ImageUsers.NONE).removed();
        assertThat(removed).containsExactlyInAnyOrder(RemovedEntry.deleted(step3.id()), RemovedEntry.deleted(step2.id()),
                RemovedEntry.deleted(step1.id()));
        assertThat(images.list()).extracting(Image::id).containsExactly(base.id());
    }

    @Test
    void addImage_pullShape_readsOnlyMissingLayers_andKeepsBlobsForPush() throws Exception {
        byte[] bottom = new TarBuilder().file("a", "a").build();
        byte[] top = new TarBuilder().file("b", "bb").build();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(top);
        }
        String d0 = Digest.sha256(bottom).toString();
        String d1 = Digest.sha256(top).toString();
        byte[] config = ("{\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + d0 + "\",\"" + d1
                + "\"]}}").getBytes();
        String manifest = "sha256:" + "d".repeat(64);
        List<String> opened = new ArrayList<>();
        List<LayerSource> sources = List.of(
                new LayerSource(d0, bottom.length, () -> {
                    opened.add(d0);
                    return new ByteArrayInputStream(bottom);
                }),
                new LayerSource(d1, gz.size(), () -> {
                    opened.add(d1);
                    return new ByteArrayInputStream(gz.toByteArray());
                }));
        Image image = images.addImage(config, sources, List.of("pulled:1"), List.of("pulled@" + manifest), Progress.NONE);
        assertThat(image.id()).isEqualTo(Digest.sha256(config).toString());
        assertThat(image.repoDigests()).containsExactly("docker.io/library/pulled@" + manifest);
        assertThat(images.resolve("pulled@" + manifest).id()).isEqualTo(image.id());
        assertThat(images.configBytes(image.id())).isEqualTo(config);
        StoredLayer stored = images.storedLayer(d1).orElseThrow();
        assertThat(stored.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(stored.digest()).isEqualTo(Digest.sha256(gz.toByteArray()).toString());
        try (var in = images.openBlob(stored.digest())) {
            assertThat(in.readAllBytes()).isEqualTo(gz.toByteArray());
        }
        assertThat(images.storedLayer(d0).orElseThrow().digest()).isEqualTo(d0);

        opened.clear();
        images.addImage(config, sources, List.of("again:1"), List.of(), Progress.NONE);
        assertThat(opened).as("layers already present are not read again").isEmpty();
        assertThat(images.remove("pulled@" + manifest, false, false, ImageUsers.NONE))
                .containsExactly(RemovedEntry.untagged("pulled@" + manifest));
    }

    @Test
    void tag_replacesPreviousTarget_andRefusesDigests() {
        Image a = importTar("x", "a");
        Image b = importTar("x", "b");
        assertThat(images.resolve("x").id()).isEqualTo(b.id());
        assertThat(images.resolve(a.id()).repoTags()).isEmpty();
        assertThatThrownBy(() -> images.tag("x", "y@sha256:" + "a".repeat(64))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> images.tag("x", "Bad")).isInstanceOf(InvalidArgumentException.class);
    }
}
