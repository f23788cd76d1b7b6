package dev.skiff.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes images into a registry by its HTTP API directly, for shapes no client makes on demand. */
final class RegistryWriter {
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    RegistryWriter(String host) {
        this.base = "http://" + host;
    }

    static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uploads a blob (monolithic) and returns its digest. */
    String blob(String repo, byte[] data) throws IOException, InterruptedException {
        String digest = sha256(data);
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (start.statusCode() != 202) {
            throw new IllegalStateException("upload start " + start.statusCode() + " " + start.body());
        }
        URI loc = start.uri().resolve(start.headers().firstValue("Location").orElseThrow());
        URI put = URI.create(loc + (loc.getQuery() == null ? "?" : "&") + "digest=" + digest);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            throw new IllegalStateException("upload " + done.statusCode() + " " + done.body());
        }
        return digest;
    }

    /** PUTs a manifest under a tag and returns its digest. */
    String manifest(String repo, String tag, String mediaType, String json) throws IOException, InterruptedException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/" + tag))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(b)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("manifest " + r.statusCode() + " " + r.body());
        }
        return sha256(b);
    }

    static String descriptor(String mediaType, byte[] data) {
        return "{\"mediaType\":\"" + mediaType + "\",\"size\":" + data.length + ",\"digest\":\"" + sha256(data) + "\"}";
    }

    /** An image config for the given platform and layer diffIDs. */
    static byte[] config(String arch, String env, String... diffIds) {
        return ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Env\":[\"" + env + "\"],"
                + "\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + String.join("\",\"", diffIds)
                + "\"]},\"history\":[]}").getBytes(StandardCharsets.UTF_8);
    }

    /** A tar holding one file. */
    static byte[] tarWith(String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            e.setMode(0100644);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
