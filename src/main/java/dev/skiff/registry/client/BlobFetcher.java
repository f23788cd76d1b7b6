package dev.skiff.registry.client;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.image.Digest;
import dev.skiff.image.Progress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * GET /v2/NAME/blobs/DIGEST: small blobs (configs) read whole and verified here; layers as a stream that reports
 * Docker's "Downloading" progress, refuses more bytes than the manifest promised, and says "Verifying Checksum" /
 * "Download complete" at its end (the content store checks the digest as the bytes are written).
 */
final class BlobFetcher {
    static final int MAX_CONFIG = 8 << 20;

    private BlobFetcher() {
    }

    static byte[] small(RegistrySession s, String repo, Manifests.Descriptor d, String what) {
        if (d.size() > MAX_CONFIG) {
            throw new InvalidArgumentException("the " + what + " is " + d.size() + " bytes, more than " + MAX_CONFIG
                    + ": refused");
        }
        try (InputStream in = open(s, repo, d.digest(), what)) {
            byte[] bytes = in.readNBytes(MAX_CONFIG + 1);
            String actual = Digest.sha256(bytes).toString();
            if (!actual.equals(d.digest()) || bytes.length != d.size()) {
                throw new InvalidArgumentException("the " + what + " from registry " + s.hostPort()
                        + " failed verification: " + bytes.length + " bytes hashing to " + actual + ", expected "
                        + d.size() + " bytes of " + d.digest() + " (refused; nothing stored)");
            }
            return bytes;
        } catch (IOException e) {
            throw new UnavailableException("reading the " + what + " from registry " + s.hostPort() + ": "
                    + e.getMessage(), e);
        }
    }

    static InputStream layer(RegistrySession s, String repo, Manifests.Descriptor d, Progress progress) {
        String id = Digest.parse(d.digest()).shortHex();
        InputStream in = open(s, repo, d.digest(), "layer " + d.digest() + " of " + repo);
        return new Downloading(in, d.size(), id, progress);
    }

    private static InputStream open(RegistrySession s, String repo, String digest, String what) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/v2/" + repo + "/blobs/" + digest)).GET();
        HttpResponse<InputStream> r = s.send(b, List.of(Scopes.pull(repo)));
        if (r.statusCode() != 200) {
            throw RegistryErrors.of(r, what, repo, s.hostPort());
        }
        return r.body();
    }

    /** Counts, caps and reports a layer's bytes. */
    private static final class Downloading extends FilterInputStream {
        private final long size;
        private final String id;
        private final Progress progress;
        private long count;
        private boolean ended;

        Downloading(InputStream in, long size, String id, Progress progress) {
            super(in);
            this.size = size;
            this.id = id;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > size) {
                    throw new IOException("layer " + id + " is longer than the " + size + " bytes its manifest says");
                }
                progress.update(id, "Downloading", count, size);
            } else if (n < 0 && !ended) {
                ended = true;
                if (count != size) {
                    throw new IOException("layer " + id + " ended after " + count + " of " + size + " bytes");
                }
                progress.update(id, "Verifying Checksum", -1, -1);
                progress.update(id, "Download complete", -1, -1);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
        }
    }
}
