package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.image.Digest;
import dev.skiff.registry.server.RegistryServer;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution API over real HTTP: push flows, tags, deletes, referrers and the spec's errors. */
class RegistryApiIT {
    @TempDir
    Path dir;
    RegistryServer server;
    RegistryClient c;

    @BeforeEach
    void start() throws IOException {
        server = RegistryFixture.start(dir.resolve("root"), "");
        c = new RegistryClient(RegistryFixture.hostPort(server));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    static String errorCode(HttpResponse<byte[]> r) throws IOException {
        return json(r).path("errors").get(0).path("code").asText();
    }

    @Test
    void base_answersWithTheApiVersionHeader() throws Exception {
        HttpResponse<byte[]> r = c.get("/v2/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
    }

    @Test
    void chunkedUpload_withContentRangeOutOfOrderChunksAndRangeReads() throws Exception {
        byte[] data = random(300, 1);
        Digest d = Digest.sha256(data);
        HttpResponse<byte[]> start = c.send("POST", "/v2/chunky/blobs/uploads/", null);
        assertThat(start.statusCode()).isEqualTo(202);
        String loc = start.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> p1 = c.send("PATCH", loc, Arrays.copyOfRange(data, 0, 100), "Content-Range", "0-99",
                "Content-Type", "application/octet-stream");
        assertThat(p1.statusCode()).isEqualTo(202);
        assertThat(p1.headers().firstValue("Range")).contains("0-99");
        loc = p1.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> skipped = c.send("PATCH", loc, Arrays.copyOfRange(data, 200, 300), "Content-Range", "200-299");
        assertThat(skipped.statusCode()).isEqualTo(416);
        HttpResponse<byte[]> status = c.get(loc);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).contains("0-99");
        assertThat(c.send("PATCH", loc, Arrays.copyOfRange(data, 100, 200), "Content-Range", "100-199").statusCode()).isEqualTo(202);
        HttpResponse<byte[]> done = c.send("PUT", loc + "?digest=" + d, Arrays.copyOfRange(data, 200, 300),
                "Content-Range", "200-299");
        assertThat(done.statusCode()).isEqualTo(201);
        assertThat(done.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertThat(done.headers().firstValue("Location")).contains("/v2/chunky/blobs/" + d);

        HttpResponse<byte[]> head = c.send("HEAD", "/v2/chunky/blobs/" + d, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(300);
        assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        HttpResponse<byte[]> whole = c.get("/v2/chunky/blobs/" + d);
        assertThat(whole.body()).isEqualTo(data);
        HttpResponse<byte[]> part = c.get("/v2/chunky/blobs/" + d, "Range", "bytes=10-19");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 10-19/300");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 10, 20));
        assertThat(c.get("/v2/chunky/blobs/" + d, "Range", "bytes=300-").statusCode()).isEqualTo(416);
    }

    @Test
    void upload_withWrongDigest_storesNothing() throws Exception {
        byte[] data = random(1000, 2);
        Digest claimed = Digest.sha256("something else");
        HttpResponse<byte[]> r = c.send("POST", "/v2/bad/blobs/uploads/?digest=" + claimed, data);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
        assertThat(c.send("HEAD", "/v2/bad/blobs/" + claimed, null).statusCode()).isEqualTo(404);
        assertThat(c.send("HEAD", "/v2/bad/blobs/" + Digest.sha256(data), null).statusCode()).isEqualTo(404);
        try (var s = Files.walk(dir.resolve("root/blobs"))) {
            assertThat(s.filter(Files::isRegularFile).toList()).isEmpty();
        }
        try (var s = Files.list(dir.resolve("root/uploads"))) {
            assertThat(s.toList()).isEmpty();
        }
        HttpResponse<byte[]> bad = c.send("POST", "/v2/bad/blobs/uploads/?digest=sha256:nothex", data);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(errorCode(bad)).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void interruptedUpload_neverBecomesVisible() throws Exception {
        byte[] data = random(1 << 20, 13);
        Digest d = Digest.sha256(data);
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v2/cut/blobs/uploads/?digest=" + d + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + data.length
                    + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, 0, data.length / 2);
            out.flush();
        }
        // A chunked session cut mid-PATCH keeps what arrived, for the client to resume from its Range.
        String loc = c.send("POST", "/v2/cut/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + loc + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + data.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(data, 0, 1000);
            out.flush();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<byte[]> status;
        do {
            Thread.sleep(100);
            status = c.get(loc);
        } while (!status.headers().firstValue("Range").orElse("").equals("0-999") && System.nanoTime() < deadline);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).contains("0-999");
        assertThat(c.send("HEAD", "/v2/cut/blobs/" + d, null).statusCode()).isEqualTo(404);
        try (var files = Files.walk(dir.resolve("root/blobs"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        // Resuming from there completes it.
        HttpResponse<byte[]> done;
        do { // the cut PATCH frees the session when the server sees the connection close
            done = c.send("PUT", loc + "?digest=" + d, Arrays.copyOfRange(data, 1000, data.length),
                    "Content-Range", "1000-" + (data.length - 1));
        } while (done.statusCode() == 416 && System.nanoTime() < deadline);
        assertThat(done.statusCode()).isEqualTo(201);
        assertThat(c.get("/v2/cut/blobs/" + d).body()).isEqualTo(data);
    }

    @Test
    void mount_linksABlobFromAnotherRepository() throws Exception {
        Digest d = c.pushBlob("src/repo", random(5000, 3));
        HttpResponse<byte[]> m = c.send("POST", "/v2/dst/repo/blobs/uploads/?mount=" + d + "&from=src/repo", null);
        assertThat(m.statusCode()).isEqualTo(201);
        assertThat(m.headers().firstValue("Location")).contains("/v2/dst/repo/blobs/" + d);
        assertThat(c.send("HEAD", "/v2/dst/repo/blobs/" + d, null).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> unknown = c.send("POST", "/v2/dst/repo/blobs/uploads/?mount=" + Digest.sha256("nope") + "&from=src/repo", null);
        assertThat(unknown.statusCode()).isEqualTo(202);
        assertThat(unknown.headers().firstValue("Location").orElse("")).contains("/blobs/uploads/");
        // Deleting from one repository leaves the other's copy.
        assertThat(c.send("DELETE", "/v2/src/repo/blobs/" + d, null).statusCode()).isEqualTo(202);
        assertThat(c.send("HEAD", "/v2/src/repo/blobs/" + d, null).statusCode()).isEqualTo(404);
        assertThat(c.send("HEAD", "/v2/dst/repo/blobs/" + d, null).statusCode()).isEqualTo(200);
    }

    @Test
    void tags_paginateAndDeletingATagKeepsTheOthers() throws Exception {
        Digest m = c.pushImage("app", "t1", random(100, 4), null, null);
        byte[] body = c.get("/v2/app/manifests/t1").body();
        HttpResponse<byte[]> multi = c.send("PUT", "/v2/app/manifests/" + m + "?tag=t2&tag=t3&tag=t4&tag=t5", body,
                "Content-Type", RegistryClient.OCI_MANIFEST);
        assertThat(multi.statusCode()).isEqualTo(201);
        assertThat(multi.headers().allValues("OCI-Tag").toString()).contains("t2").contains("t5");

        HttpResponse<byte[]> p1 = c.get("/v2/app/tags/list?n=2");
        assertThat(json(p1).path("tags").toString()).isEqualTo("[\"t1\",\"t2\"]");
        String link = p1.headers().firstValue("Link").orElseThrow();
        assertThat(link).isEqualTo("</v2/app/tags/list?n=2&last=t2>; rel=\"next\"");
        HttpResponse<byte[]> p2 = c.get(link.substring(1, link.indexOf('>')));
        assertThat(json(p2).path("tags").toString()).isEqualTo("[\"t3\",\"t4\"]");
        HttpResponse<byte[]> p3 = c.get("/v2/app/tags/list?n=2&last=t4");
        assertThat(json(p3).path("tags").toString()).isEqualTo("[\"t5\"]");
        assertThat(p3.headers().firstValue("Link")).isEmpty();

        assertThat(c.send("DELETE", "/v2/app/manifests/t2", null).statusCode()).isEqualTo(202);
        assertThat(json(c.get("/v2/app/tags/list")).path("tags").toString()).isEqualTo("[\"t1\",\"t3\",\"t4\",\"t5\"]");
        HttpResponse<byte[]> stillThere = c.send("HEAD", "/v2/app/manifests/t1", null);
        assertThat(stillThere.statusCode()).isEqualTo(200);
        assertThat(stillThere.headers().firstValue("Docker-Content-Digest")).contains(m.toString());
        assertThat(stillThere.headers().firstValueAsLong("Content-Length")).hasValue(body.length);
        assertThat(c.get("/v2/app/manifests/t2").statusCode()).isEqualTo(404);

        assertThat(c.send("DELETE", "/v2/app/manifests/" + m, null).statusCode()).isEqualTo(202);
        assertThat(json(c.get("/v2/app/tags/list")).path("tags").size()).isZero();
        assertThat(errorCode(c.get("/v2/app/manifests/" + m))).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(errorCode(c.get("/v2/nothere/tags/list"))).isEqualTo("NAME_UNKNOWN");
        assertThat(json(c.get("/v2/_catalog")).path("repositories").toString()).contains("app");
    }

    @Test
    void referrers_listManifestsWithASubjectAndFilterByArtifactType() throws Exception {
        Digest subject = c.pushImage("signed", "v1", random(100, 5), null, null);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Digest cfg = c.pushBlob("signed", config);
        Digest sigLayer = c.pushBlob("signed", random(50, 6));
        byte[] sig = RegistryClient.manifest(cfg, 2, sigLayer, 50, subject.toString(), "application/vnd.example.signature");
        HttpResponse<byte[]> put = c.send("PUT", "/v2/signed/manifests/" + Digest.sha256(sig), sig, "Content-Type", RegistryClient.OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).contains(subject.toString());
        byte[] sbom = RegistryClient.manifest(cfg, 2, sigLayer, 50, subject.toString(), "application/vnd.example.sbom");
        assertThat(c.send("PUT", "/v2/signed/manifests/" + Digest.sha256(sbom), sbom, "Content-Type", RegistryClient.OCI_MANIFEST)
                .statusCode()).isEqualTo(201);

        HttpResponse<byte[]> all = c.get("/v2/signed/referrers/" + subject);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).contains("application/vnd.oci.image.index.v1+json");
        assertThat(json(all).path("manifests").size()).isEqualTo(2);
        HttpResponse<byte[]> only = c.get("/v2/signed/referrers/" + subject + "?artifactType=application/vnd.example.sbom");
        assertThat(only.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
        JsonNode d = json(only).path("manifests");
        assertThat(d.size()).isEqualTo(1);
        assertThat(d.get(0).path("digest").asText()).isEqualTo(Digest.sha256(sbom).toString());
        assertThat(d.get(0).path("artifactType").asText()).isEqualTo("application/vnd.example.sbom");
        assertThat(d.get(0).path("annotations").has("test")).isTrue();
        assertThat(json(c.get("/v2/signed/referrers/" + Digest.sha256("none"))).path("manifests").size()).isZero();
        assertThat(c.get("/v2/signed/referrers/sha256:zz").statusCode()).isEqualTo(400);
    }

    @Test
    void badManifests_areRefusedWithSpecErrorsAndNothingStored() throws Exception {
        Digest cfg = c.pushBlob("m", "{}".getBytes(StandardCharsets.UTF_8));
        Digest layer = c.pushBlob("m", random(10, 7));
        byte[] good = RegistryClient.manifest(cfg, 2, layer, 10, null, null);

        HttpResponse<byte[]> wrongDigest = c.send("PUT", "/v2/m/manifests/" + Digest.sha256("other"), good, "Content-Type", RegistryClient.OCI_MANIFEST);
        assertThat(wrongDigest.statusCode()).isEqualTo(400);
        assertThat(errorCode(wrongDigest)).isEqualTo("DIGEST_INVALID");

        byte[] huge = new byte[5 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        HttpResponse<byte[]> tooBig = c.send("PUT", "/v2/m/manifests/big", huge, "Content-Type", RegistryClient.OCI_MANIFEST);
        assertThat(tooBig.statusCode()).isEqualTo(413);

        HttpResponse<byte[]> unknownType = c.send("PUT", "/v2/m/manifests/x", "{\"schemaVersion\":2,\"mediaType\":\"application/x-evil\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-evil");
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(errorCode(unknownType)).isEqualTo("MANIFEST_INVALID");

        HttpResponse<byte[]> garbage = c.send("PUT", "/v2/m/manifests/x", "{not json".getBytes(StandardCharsets.UTF_8), "Content-Type", RegistryClient.OCI_MANIFEST);
        assertThat(errorCode(garbage)).isEqualTo("MANIFEST_INVALID");

        byte[] missing = RegistryClient.manifest(cfg, 2, Digest.sha256("absent"), 10, null, null);
        HttpResponse<byte[]> unknownBlob = c.send("PUT", "/v2/m/manifests/x", missing, "Content-Type", RegistryClient.OCI_MANIFEST);
        assertThat(errorCode(unknownBlob)).isEqualTo("MANIFEST_BLOB_UNKNOWN");

        byte[] wrongSize = RegistryClient.manifest(cfg, 2, layer, 11, null, null);
        assertThat(errorCode(c.send("PUT", "/v2/m/manifests/x", wrongSize, "Content-Type", RegistryClient.OCI_MANIFEST))).isEqualTo("SIZE_INVALID");

        assertThat(c.get("/v2/m/tags/list").statusCode()).isEqualTo(200);
        assertThat(json(c.get("/v2/m/tags/list")).path("tags").size()).isZero();
        assertThat(c.send("PUT", "/v2/m/manifests/ok", good, "Content-Type", RegistryClient.OCI_MANIFEST).statusCode()).isEqualTo(201);
    }

    @Test
    void badNamesAndGarbage_areRefusedAndTheServerKeepsServing() throws Exception {
        for (String path : new String[] {"/v2/a..b/tags/list", "/v2/UPPER/manifests/x", "/v2/a/%2e%2e/b/tags/list",
                "/v2/-a/blobs/uploads/", "/v2/a//b/manifests/latest"}) {
            HttpResponse<byte[]> r = c.send(path.contains("uploads") ? "POST" : "GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(errorCode(r)).as(path).isEqualTo("NAME_INVALID");
        }
        assertThat(c.get("/v2/a/blobs/sha256:../../etc/passwd").statusCode()).isIn(400, 404);
        assertThat(c.get("/v2/a/blobs/uploads/../../x").statusCode()).isIn(400, 404);
        assertThat(c.send("PATCH", "/v2/a/blobs/uploads/not-a-session", new byte[] {1}).statusCode()).isEqualTo(404);
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write("\u0000\u0001GARBAGE \r\n\r\n not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            s.setSoTimeout(5000);
            String reply = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(reply).startsWith("HTTP/1.1 4");
        }
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Long: ".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(new byte[200_000]);
        } catch (IOException resetByServer) {
            // the server may close the connection while the oversized header is still being sent
        }
        assertThat(c.get("/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void readOnly_servesPullsAndRefusesWrites() throws Exception {
        Digest m = c.pushImage("ro", "v1", random(100, 8), null, null);
        server.close();
        server = RegistryFixture.start(dir.resolve("root"), "readOnly: true\n");
        c = new RegistryClient(RegistryFixture.hostPort(server));
        assertThat(c.get("/v2/ro/manifests/v1").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> push = c.send("POST", "/v2/ro/blobs/uploads/", null);
        assertThat(push.statusCode()).isEqualTo(405);
        assertThat(errorCode(push)).isEqualTo("UNSUPPORTED");
        assertThat(c.send("DELETE", "/v2/ro/manifests/" + m, null).statusCode()).isEqualTo(405);
        assertThat(c.get("/v2/ro/manifests/" + m).statusCode()).isEqualTo(200);
    }
}
