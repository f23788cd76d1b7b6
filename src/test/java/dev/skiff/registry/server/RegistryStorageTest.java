package dev.skiff.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.image.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryStorageTest {
    @TempDir
    Path root;
    RegistryStorage storage;
    UploadSessions uploads;

    @BeforeEach
    void open() throws Exception {
        storage = new RegistryStorage(root);
        uploads = new UploadSessions(storage.uploadsDir());
    }

    /** Uploads {@code data} into {@code repo} the way a PUT closing a session does. */
    Digest push(String repo, String data) throws Exception {
        UploadSession s = uploads.start(repo);
        s.append(java.nio.ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)));
        Digest d = s.digest();
        s.sync();
        uploads.finish(s, false);
        storage.commitBlob(repo, d, s.file());
        return d;
    }

    static byte[] manifest(Digest config, long configSize, Digest layer, long layerSize, String subject) {
        String subj = subject == null ? "" : ",\"subject\":{\"mediaType\":\"" + ManifestInfo.OCI_MANIFEST
                + "\",\"digest\":\"" + subject + "\",\"size\":1}";
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestInfo.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":" + configSize
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer
                + "\",\"size\":" + layerSize + "}]" + subj + "}").getBytes(StandardCharsets.UTF_8);
    }

    Digest putImage(String repo, String tag, String layerText) throws Exception {
        Digest c = push(repo, "{}");
        Digest l = push(repo, layerText);
        byte[] m = manifest(c, 2, l, layerText.length(), null);
        Digest d = Digest.sha256(m);
        storage.putManifest(repo, d, m, ManifestInfo.parse(m, ManifestInfo.OCI_MANIFEST), tag == null ? List.of() : List.of(tag));
        return d;
    }

    @Test
    void blobs_areStoredOnceAcrossRepositories() throws Exception {
        Digest a = push("one", "hello");
        Digest b = push("two/x", "hello");
        assertThat(a).isEqualTo(b);
        assertThat(storage.blobSize("one", a)).contains(5L);
        assertThat(storage.blobSize("two/x", a)).contains(5L);
        assertThat(storage.blobSize("three", a)).isEmpty();
        try (var files = Files.walk(root.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
        assertThat(storage.unlinkBlob("one", a)).isTrue();
        assertThat(storage.blobSize("one", a)).isEmpty();
        assertThat(storage.blobSize("two/x", a)).contains(5L);
    }

    @Test
    void putManifest_withMissingBlob_storesNothing() throws Exception {
        Digest c = push("r", "{}");
        Digest missing = Digest.sha256("never pushed");
        byte[] m = manifest(c, 2, missing, 12, null);
        assertThatThrownBy(() -> storage.putManifest("r", Digest.sha256(m), m, ManifestInfo.parse(m, ""), List.of("t")))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_BLOB_UNKNOWN));
        assertThat(storage.manifest("r", "t")).isEmpty();
        assertThat(storage.blobStored(Digest.sha256(m))).isFalse();
        assertThat(storage.tags("r")).isEmpty();
    }

    @Test
    void putManifest_withWrongBlobSize_isSizeInvalid() throws Exception {
        Digest c = push("r", "{}");
        Digest l = push("r", "layer");
        byte[] m = manifest(c, 2, l, 999, null);
        assertThatThrownBy(() -> storage.putManifest("r", Digest.sha256(m), m, ManifestInfo.parse(m, ""), List.of("t")))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SIZE_INVALID));
    }

    @Test
    void deleteTag_keepsTheManifestsOtherTags() throws Exception {
        Digest d = putImage("r", "a", "layer");
        storage.putManifest("r", d, Files.readAllBytes(storage.blobPath(d)),
                ManifestInfo.parse(Files.readAllBytes(storage.blobPath(d)), ""), List.of("b", "c"));
        assertThat(storage.tags("r")).containsExactly("a", "b", "c");
        assertThat(storage.deleteTag("r", "b")).isTrue();
        assertThat(storage.tags("r")).containsExactly("a", "c");
        assertThat(storage.manifest("r", "a")).isPresent();
        assertThat(storage.manifest("r", d.toString())).isPresent();
        assertThat(storage.deleteManifest("r", d)).isTrue();
        assertThat(storage.tags("r")).isEmpty();
        assertThat(storage.manifest("r", d.toString())).isEmpty();
    }

    @Test
    void referrers_areIndexedBySubjectAndForgottenOnDelete() throws Exception {
        Digest subject = putImage("r", "v1", "layer");
        Digest c = push("r", "{}");
        Digest l = push("r", "signature");
        byte[] m = manifest(c, 2, l, 9, subject.toString());
        Digest sig = Digest.sha256(m);
        storage.putManifest("r", sig, m, ManifestInfo.parse(m, ""), List.of());
        assertThat(storage.referrers("r", subject)).extracting(RegistryStorage.StoredManifest::digest).containsExactly(sig);
        storage.deleteManifest("r", sig);
        assertThat(storage.referrers("r", subject)).isEmpty();
    }

    @Test
    void uploads_leftByAPreviousProcessAreRemovedAtStart() throws Exception {
        Files.writeString(storage.uploadsDir().resolve("stale"), "half a layer");
        new UploadSessions(storage.uploadsDir());
        try (var s = Files.list(storage.uploadsDir())) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void gc_deletesOnlyOldUnreferencedBlobs() throws Exception {
        Digest kept = putImage("r", "v1", "referenced");
        Digest orphanOld = push("r", "orphan-old");
        Digest orphanYoung = push("r", "orphan-young");
        Files.setLastModifiedTime(storage.blobPath(orphanOld), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        GarbageCollector.Result r = new GarbageCollector(storage, uploads).run(Duration.ofHours(1), false);
        assertThat(r.blobsDeleted()).isEqualTo(1);
        assertThat(storage.blobStored(orphanOld)).isFalse();
        assertThat(storage.blobStored(orphanYoung)).isTrue();
        assertThat(storage.manifest("r", "v1")).isPresent();
        assertThat(storage.blobStored(kept)).isTrue();
        assertThat(storage.blobSize("r", orphanOld)).isEmpty();
        assertThat(r.linksRemoved()).isEqualTo(1);
    }

    @Test
    void repositories_nestedNames_onlyThe_nameComponentsWalked() throws Exception {
        putImage("a", "v1", "one");
        putImage("a/b", "v1", "two");
        putImage("c/d/e", "v1", "three");
        // a push's temporary tag file, and a directory no name can have: neither is a repository
        Path tags = storage.root().resolve("repositories/a/_manifests/tags");
        Files.writeString(tags.resolve(".t123.tmp"), "x");
        Files.createDirectories(storage.root().resolve("repositories/a/_manifests/tags/x/_manifests"));
        assertThat(storage.repositories()).containsExactly("a", "a/b", "c/d/e");
    }

    @Test
    void gc_withNoGrace_neverBreaksAnImagePushedMeanwhile() throws Exception {
        GarbageCollector gc = new GarbageCollector(storage, uploads);
        CompletableFuture<Void> collecting = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 30; i++) {
                try {
                    gc.run(Duration.ZERO, false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        List<Digest> pushed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            try {
                pushed.add(putImage("r", "t" + i, "layer " + i));
            } catch (RegistryException sweptBeforeManifest) {
                // with zero grace a blob may go between its upload and the manifest: the push is refused whole
                assertThat(sweptBeforeManifest.code()).isEqualTo(ErrorCode.MANIFEST_BLOB_UNKNOWN);
            }
        }
        collecting.join();
        gc.run(Duration.ZERO, false);
        for (Digest d : pushed) {
            ManifestInfo info = ManifestInfo.parse(Files.readAllBytes(storage.blobPath(d)), "");
            for (ManifestInfo.Ref b : info.blobs()) {
                assertThat(storage.blobStored(b.digest())).as("blob of " + d).isTrue();
            }
        }
        assertThat(pushed).isNotEmpty();
    }
}
