package dev.skiff.build.copy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Downloads an ADD URL to a file under a scratch directory with the JDK's HTTP client, hashing as it
 * goes: the sha256 is the cache key's content digest and is checked against --checksum before the file
 * is used. The name comes from the URL's last path segment; Last-Modified becomes the mtime.
 */
final class RemoteFetcher {
    /** A file fetched from a URL. */
    record Fetched(Path file, String name, String sha256, Optional<Instant> lastModified, long size) {
    }

    /** Where a download's byte counts go. */
    interface Download {
        Download NONE = (current, total) -> { };

        /** {@code total} is -1 when the server did not say. */
        void update(long current, long total);
    }

    private static final long PROGRESS_INTERVAL_NANOS = 100_000_000L;

    private final java.util.function.Supplier<HttpClient> http;
    private final long maxBytes;

    /** {@code http} is asked for its client at the first download (a client sets up TLS: see CopyEngine). */
    RemoteFetcher(java.util.function.Supplier<HttpClient> http, long maxBytes) {
        this.http = http;
        this.maxBytes = maxBytes;
    }

    static boolean isUrl(String source) {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    /**
     * Downloads {@code url} into a new file under {@code scratch} (the caller deletes {@link Fetched#file}).
     *
     * @param what     how errors name the download ("ADD", "build context")
     * @param progress told the bytes so far (and the size, when the server says it) a few times a second
     */
    Fetched fetch(String what, String url, String checksum, Path scratch, Download progress) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(what + ": invalid URL " + url);
        }
        String expected = null;
        if (checksum != null) {
            if (!checksum.matches("sha256:[0-9a-f]{64}")) {
                throw new InvalidArgumentException("ADD --checksum=" + checksum
                        + ": unsupported digest (give sha256:<64 hex digits>)");
            }
            expected = checksum.substring("sha256:".length());
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10))
                .header("User-Agent", "skiff-builder").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        } catch (IOException e) {
            throw new UnavailableException(what + ": cannot fetch " + url + ": " + e.getMessage(), e);
        }
        Files.createDirectories(scratch);
        Path file = Files.createTempFile(scratch, "add-", ".download");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(file)) {
            if (response.statusCode() / 100 != 2) {
                throw new UnavailableException(what + ": fetching " + url + " failed: HTTP " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long reported = System.nanoTime();
            progress.update(0, total);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                size += n;
                if (size > maxBytes) {
                    throw new InvalidArgumentException(what + ": " + url + " is larger than " + maxBytes + " bytes");
                }
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                if (System.nanoTime() - reported > PROGRESS_INTERVAL_NANOS) {
                    reported = System.nanoTime();
                    progress.update(size, total);
                }
            }
            progress.update(size, total);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (expected != null && !expected.equals(actual)) {
            Files.deleteIfExists(file);
            throw new InvalidArgumentException(what + ": digest mismatch for " + url + ": expected sha256:" + expected
                    + ", got sha256:" + actual + " (fix --checksum or the URL)");
        }
        Optional<Instant> modified = response.headers().firstValue("Last-Modified").flatMap(RemoteFetcher::httpDate);
        return new Fetched(file, fileName(uri), actual, modified, size);
    }

    /** The last segment of the URL's path, e.g. "foobar" for http://example.com/foobar; "" if none. */
    static String fileName(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        String name = URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
        return name.contains("/") || name.equals("..") || name.equals(".") ? "" : name;
    }

    private static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
