package dev.skiff.registry.server;

import dev.skiff.image.Digest;
import java.io.IOException;
import java.util.Optional;

/**
 * Blobs: GET/HEAD (with Range), DELETE, and pushing them: upload sessions (POST, PATCH, PUT, GET status,
 * DELETE), monolithic POST with ?digest=, and cross-repository mounts. An upload's bytes reach its
 * session file before these run; closing a session verifies the digest before the blob becomes visible.
 */
final class BlobEndpoints {
    private final RegistryStorage storage;
    private final UploadSessions uploads;
    private final ProxyUpstream upstream;

    BlobEndpoints(RegistryStorage storage, UploadSessions uploads, ProxyUpstream upstream) {
        this.storage = storage;
        this.uploads = uploads;
        this.upstream = upstream;
    }

    static Digest digest(String value) {
        if (!Digest.isDigest(value) || !value.startsWith("sha256:")) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid digest \"" + RepositoryName.shorten(value)
                    + "\" (this registry takes sha256: and 64 lowercase hex digits)");
        }
        return Digest.parse(value);
    }

    Reply get(RegistryRequest r) throws IOException {
        String name = r.route().name();
        Digest d = digest(r.route().reference());
        Optional<Long> size = storage.blobSize(name, d);
        if (size.isEmpty() && upstream != null && upstream.fetchBlob(name, d)) {
            size = storage.blobSize(name, d);
        }
        if (size.isEmpty()) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + d + " is not in repository " + name);
        }
        long total = size.get();
        Optional<ByteRange> range;
        try {
            range = r.head() ? Optional.empty() : ByteRange.parse(r.header("Range"), total);
        } catch (ByteRange.Unsatisfiable e) {
            return Reply.empty(416).header("Content-Range", "bytes */" + total);
        }
        ByteRange slice = range.orElse(new ByteRange(0, total - 1));
        Reply reply = Reply.file(range.isPresent() ? 206 : 200, "application/octet-stream",
                new Reply.FileSlice(storage.blobPath(d), slice.first(), total == 0 ? 0 : slice.length()));
        range.ifPresent(x -> reply.header("Content-Range", x.contentRange(total)));
        return reply.header("Docker-Content-Digest", d.toString()).header("Accept-Ranges", "bytes")
                .header("ETag", "\"" + d + "\"").header("Cache-Control", "max-age=31536000");
    }

    Reply delete(RegistryRequest r) throws IOException {
        Digest d = digest(r.route().reference());
        if (!storage.unlinkBlob(r.route().name(), d)) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + d + " is not in repository " + r.route().name());
        }
        return Reply.empty(202).header("Docker-Content-Digest", d.toString());
    }

    /** POST .../blobs/uploads/: a mount, a monolithic upload (body already in the session), or a new session. */
    Reply start(RegistryRequest r) throws IOException {
        String name = r.route().name();
        Optional<String> mount = r.param("mount");
        if (mount.isPresent() && r.upload() == null) {
            Digest d = digest(mount.get());
            Optional<String> from = r.param("from");
            boolean held = from.isEmpty() ? storage.blobStored(d)
                    : RepositoryName.isValid(from.get()) && storage.blobSize(from.get(), d).isPresent();
            if (held && storage.linkBlob(name, d)) {
                return created(name, d);
            }
        }
        if (r.upload() != null && r.param("digest").isPresent()) {
            return close(r, r.upload());
        }
        UploadSession s = uploads.start(name);
        return progress(202, s);
    }

    /** PATCH: the chunk is in the file already (RegistryApi frees the session after every request). */
    Reply patch(RegistryRequest r) {
        return progress(202, r.upload());
    }

    /** PUT ?digest=: the last chunk (if any) is in the file; verify and commit. */
    Reply put(RegistryRequest r) throws IOException {
        return close(r, r.upload());
    }

    Reply status(RegistryRequest r) {
        UploadSession s = session(r);
        return progress(204, s);
    }

    Reply cancel(RegistryRequest r) {
        UploadSession s = session(r);
        if (!s.acquire()) {
            throw busy(s);
        }
        try {
            uploads.finish(s, true);
        } finally {
            s.release();
        }
        return Reply.empty(204);
    }

    UploadSession session(RegistryRequest r) {
        return uploads.find(r.route().name(), r.route().reference()).orElseThrow(() -> new RegistryException(
                ErrorCode.BLOB_UPLOAD_UNKNOWN, "no upload " + RepositoryName.shorten(r.route().reference())
                        + " in repository " + r.route().name() + " (start one with POST /v2/" + r.route().name() + "/blobs/uploads/)"));
    }

    static RegistryException busy(UploadSession s) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 416,
                "upload " + s.id() + " is receiving another request; send chunks one after another", null);
    }

    private Reply close(RegistryRequest r, UploadSession s) throws IOException {
        String name = r.route().name();
        Optional<String> given = r.param("digest");
        if (given.isEmpty()) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "closing an upload needs ?digest=sha256:...");
        }
        Digest want = digest(given.get());
        Digest got = s.digest();
        if (!got.equals(want)) {
            uploads.finish(s, true);
            throw new RegistryException(ErrorCode.DIGEST_INVALID, ErrorCode.DIGEST_INVALID.status(),
                    "the uploaded content has digest " + got + ", not " + want + " (nothing was stored)",
                    java.util.Map.of("expected", want.toString(), "actual", got.toString(), "size", s.size()));
        }
        s.sync();
        uploads.finish(s, false);
        storage.commitBlob(name, want, s.file());
        return created(name, want);
    }

    private static Reply created(String name, Digest d) {
        return Reply.empty(201).header("Location", "/v2/" + name + "/blobs/" + d).header("Docker-Content-Digest", d.toString());
    }

    private static Reply progress(int status, UploadSession s) {
        long size = s.size();
        return Reply.empty(status)
                .header("Location", "/v2/" + s.repository() + "/blobs/uploads/" + s.id())
                .header("Range", "0-" + Math.max(0, size - 1))
                .header("Docker-Upload-UUID", s.id());
    }
}
