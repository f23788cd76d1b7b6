package dev.skiff.registry.client;

import dev.skiff.errors.UnavailableException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The blob endpoints a push uses: HEAD (does the registry have it), a cross-repository mount, a monolithic
 * upload (POST for a session, then PUT with the digest and the whole body) and a streamed one (POST, PATCH, PUT).
 */
final class BlobUploader {
    private BlobUploader() {
    }

    /** Opens the blob's bytes; may be called again if the request must be resent. */
    @FunctionalInterface
    interface BlobOpener {
        InputStream open() throws IOException;
    }

    static boolean exists(RegistrySession s, String repo, String digest) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/v2/" + repo + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        HttpResponse<InputStream> r = s.send(b, List.of(Scopes.pullPush(repo)));
        RegistrySession.close(r);
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw RegistryErrors.of(r, "checking blob " + digest + " in " + repo, repo, s.hostPort());
    }

    /** Mounts the blob from {@code from}; false when the registry would rather have it uploaded. */
    static boolean mount(RegistrySession s, String repo, String digest, String from) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/v2/" + repo + "/blobs/uploads/?mount=" + digest
                + "&from=" + from)).POST(HttpRequest.BodyPublishers.noBody());
        HttpResponse<InputStream> r = s.send(b, List.of(Scopes.pullPush(repo), Scopes.pull(from)));
        RegistrySession.close(r);
        return r.statusCode() == 201;
    }

    static void upload(RegistrySession s, String repo, String digest, long size, BlobOpener opener, LongConsumer sent) {
        String what = "uploading blob " + digest + " to " + repo;
        URI session = start(s, repo, what);
        URI put = URI.create(session + (session.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new Counting(opener.open(), sent);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), size);
        HttpRequest.Builder b = HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream").PUT(body);
        HttpResponse<InputStream> done = s.send(b, List.of(Scopes.pullPush(repo)));
        RegistrySession.close(done);
        if (done.statusCode() != 201) {
            throw RegistryErrors.of(done, what, repo, s.hostPort());
        }
    }

    /**
     * A streamed upload, for a blob whose digest is known only once it was read (a layer compressed as it is sent):
     * POST for a session, one PATCH with the whole body (chunked), then PUT with the digest {@code digestAfter} gives.
     */
    static void uploadStreaming(RegistrySession s, String repo, String what, BlobOpener opener, LongConsumer sent,
                                Supplier<String> digestAfter) {
        URI session = start(s, repo, what);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return new Counting(opener.open(), sent);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        HttpRequest.Builder patch = HttpRequest.newBuilder(session).header("Content-Type", "application/octet-stream")
                .method("PATCH", body);
        HttpResponse<InputStream> r = s.send(patch, List.of(Scopes.pullPush(repo)));
        RegistrySession.close(r);
        if (r.statusCode() != 202) {
            throw RegistryErrors.of(r, what, repo, s.hostPort());
        }
        URI next = r.headers().firstValue("Location").map(l -> r.uri().resolve(l)).orElse(session);
        String digest = digestAfter.get();
        URI put = URI.create(next + (next.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
        HttpResponse<InputStream> done = s.send(HttpRequest.newBuilder(put)
                .PUT(HttpRequest.BodyPublishers.noBody()), List.of(Scopes.pullPush(repo)));
        RegistrySession.close(done);
        if (done.statusCode() != 201) {
            throw RegistryErrors.of(done, what, repo, s.hostPort());
        }
    }

    /** POST /blobs/uploads/: the upload session's URI. */
    private static URI start(RegistrySession s, String repo, String what) {
        HttpRequest.Builder start = HttpRequest.newBuilder(s.uri("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody());
        HttpResponse<InputStream> r = s.send(start, List.of(Scopes.pullPush(repo)));
        RegistrySession.close(r);
        if (r.statusCode() != 202) {
            throw RegistryErrors.of(r, what, repo, s.hostPort());
        }
        String location = r.headers().firstValue("Location").orElseThrow(() -> new UnavailableException(
                what + ": registry " + s.hostPort() + " started an upload but gave no Location"));
        return r.uri().resolve(location);
    }

    /** Reports bytes as the HTTP client reads them. */
    private static final class Counting extends FilterInputStream {
        private final LongConsumer sent;
        private long count;

        Counting(InputStream in, LongConsumer sent) {
            super(in);
            this.sent = sent;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                sent.accept(count);
            }
            return n;
        }
    }
}
