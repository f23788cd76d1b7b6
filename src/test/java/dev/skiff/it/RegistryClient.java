package dev.skiff.it;

import dev.skiff.image.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A few plain HTTP calls against a registry under test, for asserting status codes, headers and bodies. */
final class RegistryClient {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    RegistryClient(String hostPort) {
        this.base = "http://" + hostPort;
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    /** GETs {@code path} and digests the body as it streams, without holding it: what a puller checks. */
    Digest digestOf(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<java.io.InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + path + ": " + r.statusCode());
            }
            return Digest.sha256(in);
        }
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Pushes a blob monolithically (POST ?digest=) and returns its digest. */
    Digest pushBlob(String repo, byte[] data) throws IOException, InterruptedException {
        Digest d = Digest.sha256(data);
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, data,
                "Content-Type", "application/octet-stream");
        if (r.statusCode() != 201) {
            throw new AssertionError("push blob: " + r.statusCode() + " " + text(r));
        }
        return d;
    }

    /** An OCI image manifest for a config and one layer, optionally with a subject and artifact type. */
    static byte[] manifest(Digest config, long configSize, Digest layer, long layerSize, String subject, String artifactType) {
        StringBuilder s = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\"");
        if (artifactType != null) {
            s.append(",\"artifactType\":\"").append(artifactType).append('"');
        }
        s.append(",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"").append(config)
                .append("\",\"size\":").append(configSize).append("},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",")
                .append("\"digest\":\"").append(layer).append("\",\"size\":").append(layerSize).append("}]");
        if (subject != null) {
            s.append(",\"subject\":{\"mediaType\":\"").append(OCI_MANIFEST).append("\",\"digest\":\"").append(subject)
                    .append("\",\"size\":100}");
        }
        s.append(",\"annotations\":{\"test\":\"").append(System.nanoTime()).append("\"}}");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Pushes config + layer + manifest and returns the manifest digest. */
    Digest pushImage(String repo, String tag, byte[] layer, String subject, String artifactType) throws IOException, InterruptedException {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        Digest c = pushBlob(repo, config);
        Digest l = pushBlob(repo, layer);
        byte[] m = manifest(c, config.length, l, layer.length, subject, artifactType);
        HttpResponse<byte[]> r = send("PUT", "/v2/" + repo + "/manifests/" + (tag == null ? Digest.sha256(m).toString() : tag), m,
                "Content-Type", OCI_MANIFEST);
        if (r.statusCode() != 201) {
            throw new AssertionError("push manifest: " + r.statusCode() + " " + text(r));
        }
        return Digest.sha256(m);
    }
}
