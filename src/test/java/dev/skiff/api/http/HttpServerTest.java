package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.client.SocketApiClient;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.NotModifiedException;
import dev.skiff.sys.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's request/response contract, driven by SocketApiClient, the JDK HttpClient and a raw socket. */
class HttpServerTest {
    @TempDir
    static Path dir;
    static TestServer srv;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Router r = new Router()
                .add("GET", "/_ping", new PingHandler())
                .add("POST", "/echo", (req, resp) -> resp.json(200, req.json(Map.class)))
                .add("GET", "/containers/{id}/json", (req, resp) -> {
                    throw new NotFoundException("no such container: " + req.pathParam("id"));
                })
                .add("POST", "/containers/{id}/start", (req, resp) -> {
                    throw new NotModifiedException("container already started");
                })
                .add("DELETE", "/containers/{id}", (req, resp) -> {
                    throw new ConflictException("container " + req.pathParam("id") + " is running (stop it first)");
                })
                .add("GET", "/info", (req, resp) -> resp.json(200, Map.of("apiVersion", req.apiVersion(), "path", req.path())))
                .add("GET", "/images/{name...}/json", (req, resp) -> resp.json(200, Map.of("name", req.pathParam("name"))))
                .add("GET", "/query", (req, resp) -> resp.json(200, Map.of(
                        "all", req.queryBool("all", false),
                        "quiet", req.queryBool("quiet", true),
                        "label", req.queryAll("label"),
                        "filters", req.filters())))
                .add("GET", "/boom", (req, resp) -> {
                    throw new IllegalStateException("kaboom");
                });
        srv = new TestServer(r, dir);
    }

    @AfterAll
    static void stop() {
        srv.close();
        assertThat(srv.socket).doesNotExist();
    }

    private static java.net.http.HttpResponse<String> get(String path) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(URI.create(srv.httpBase() + path)).build(), BodyHandlers.ofString());
    }

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void socketFile_isMode0660() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(srv.socket))).isEqualTo("rw-rw----");
        boolean skiffGroup = Files.readAllLines(Path.of("/etc/group")).stream().anyMatch(l -> l.startsWith("skiff:"));
        String group = ((java.nio.file.attribute.GroupPrincipal) Files.getAttribute(srv.socket, "posix:group")).getName();
        assertThat(group).isEqualTo(skiffGroup ? "skiff" : "root");
    }

    @Test
    void json_roundTripsOverUnixAndTcp() throws Exception {
        for (String host : new String[] {srv.unixHost(), srv.tcpHost()}) {
            try (SocketApiClient c = new SocketApiClient(host);
                 ApiResponse resp = c.send(ApiRequest.postJson("/echo", Map.of("Image", "busybox", "n", 3)))) {
                assertThat(resp.status()).isEqualTo(200);
                assertThat(resp.header("Content-Type")).contains("application/json");
                assertThat(resp.header("Api-Version")).contains("1.50");
                assertThat(resp.header("Server")).contains("Docker/28.2.2 (linux)");
                JsonNode body = resp.json();
                assertThat(body.get("Image").asText()).isEqualTo("busybox");
                assertThat(body.get("n").asInt()).isEqualTo(3);
            }
        }
    }

    @Test
    void errors_mapToStatusAndMessage() throws Exception {
        try (SocketApiClient c = new SocketApiClient(srv.unixHost())) {
            assertThatThrownBy(() -> c.send(ApiRequest.get("/containers/abc/json")))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.getMessage()).isEqualTo("no such container: abc");
                    });
            assertThatThrownBy(() -> c.send(ApiRequest.delete("/containers/abc")))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
            assertThatThrownBy(() -> c.send(ApiRequest.get("/nowhere")))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.getMessage()).isEqualTo("page not found");
                    });
            assertThatThrownBy(() -> c.send(ApiRequest.get("/boom")))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(500));
            try (ApiResponse r = c.send(ApiRequest.post("/containers/abc/start"))) {
                assertThat(r.status()).isEqualTo(304);
                assertThat(r.body().readAllBytes()).isEmpty();
            }
        }
        var wrongMethod = http.send(java.net.http.HttpRequest.newBuilder(URI.create(srv.httpBase() + "/info"))
                .DELETE().build(), BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        var notFound = get("/v1.50/nowhere");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(notFound.body()).get("message").asText()).isEqualTo("page not found");
    }

    @Test
    void invalidJson_is400_andTheServerKeepsServing() throws Exception {
        for (int i = 0; i < 3; i++) {
            var bad = http.send(java.net.http.HttpRequest.newBuilder(URI.create(srv.httpBase() + "/echo"))
                    .POST(BodyPublishers.ofString("{not json")).header("Content-Type", "application/json").build(),
                    BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json(bad.body()).get("message").asText()).startsWith("invalid JSON");
        }
        var ok = http.send(java.net.http.HttpRequest.newBuilder(URI.create(srv.httpBase() + "/echo"))
                .POST(BodyPublishers.ofString("{\"a\":1}")).build(), BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok.body()).get("a").asInt()).isEqualTo(1);
    }

    @Test
    void versionPrefix_isNegotiatedAndChecked() throws Exception {
        assertThat(json(get("/v1.24/info").body()).get("apiVersion").asText()).isEqualTo("1.24");
        assertThat(json(get("/v1.50/info").body()).get("apiVersion").asText()).isEqualTo("1.50");
        assertThat(json(get("/v1.50/info").body()).get("path").asText()).isEqualTo("/info");
        assertThat(json(get("/info").body()).get("apiVersion").asText()).isEqualTo("1.50");
        var tooNew = get("/v1.51/info");
        assertThat(tooNew.statusCode()).isEqualTo(400);
        assertThat(json(tooNew.body()).get("message").asText())
                .isEqualTo("client version 1.51 is too new. Maximum supported API version is 1.50");
        var tooOld = get("/v1.12/info");
        assertThat(tooOld.statusCode()).isEqualTo(400);
        assertThat(json(tooOld.body()).get("message").asText()).isEqualTo(
                "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version");
        try (SocketApiClient c = new SocketApiClient(srv.unixHost())) {
            assertThat(c.versionPrefix()).isEqualTo("/v1.50");
        }
    }

    @Test
    void ping_answersGetAndHeadWithDockerHeaders() throws Exception {
        var ping = get("/_ping");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("OK");
        var h = ping.headers();
        assertThat(h.firstValue("Api-Version")).contains("1.50");
        assertThat(h.firstValue("Builder-Version")).contains("1");
        assertThat(h.firstValue("Docker-Experimental")).contains("false");
        assertThat(h.firstValue("Ostype")).contains("linux");
        assertThat(h.firstValue("Swarm")).contains("inactive");
        assertThat(h.firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-cache"));
        assertThat(h.firstValue("Pragma")).contains("no-cache");
        var head = http.send(java.net.http.HttpRequest.newBuilder(URI.create(srv.httpBase() + "/_ping"))
                .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Api-Version")).contains("1.50");
        assertThat(get("/v1.40/_ping").body()).isEqualTo("OK");
    }

    @Test
    void pathAndQuery_decodeAsDockerDoes() throws Exception {
        var img = get("/images/" + "registry.local%3A5000/app+x/json".replace("/app", "%2Fapp"));
        assertThat(json(img.body()).get("name").asText()).isEqualTo("registry.local:5000/app+x");
        String filters = URLEncoder.encode("{\"label\":{\"a=b\":true},\"dangling\":[\"true\"]}", StandardCharsets.UTF_8);
        JsonNode q = json(get("/query?all=True&quiet=0&label=x&label=y&filters=" + filters).body());
        assertThat(q.get("all").asBoolean()).isTrue();
        assertThat(q.get("quiet").asBoolean()).isFalse();
        assertThat(q.get("label")).extracting(JsonNode::asText).containsExactly("x", "y");
        assertThat(q.get("filters").get("label").get(0).asText()).isEqualTo("a=b");
        assertThat(q.get("filters").get("dangling").get(0).asText()).isEqualTo("true");
        assertThat(json(get("/query?all=1").body()).get("all").asBoolean()).isTrue();
        assertThat(get("/query?filters=notjson").statusCode()).isEqualTo(400);
    }

    @Test
    void keepAlive_servesSeveralRequestsOnOneConnection() throws Exception {
        try (var s = new java.net.Socket("127.0.0.1", srv.port)) {
            OutputStream out = s.getOutputStream();
            // Two requests pipelined in one write, then a third after the answers.
            out.write(("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\nGET /v1.41/info HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            skipHeadAndBody(in);
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            int len = skipHeadReturningLength(in);
            char[] body = new char[len];
            assertThat(in.read(body)).isEqualTo(len);
            assertThat(new String(body)).contains("\"apiVersion\":\"1.41\"");
            out.write("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 404 Not Found");
        }
    }

    @Test
    void expectContinue_isAnswered_andTheNextRequestStillWorks() throws Exception {
        try (var s = new java.net.Socket("127.0.0.1", srv.port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();
            out.write("{\"a\":1}".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            skipHeadAndBody(in);
            out.write("HEAD /_ping HTTP/1.1\r\nHost: x\r\n\r\nGET /_ping HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            skipHeadReturningLength(in);
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            int len = skipHeadReturningLength(in);
            char[] body = new char[len];
            assertThat(in.read(body)).isEqualTo(2);
            assertThat(new String(body)).isEqualTo("OK");
        }
    }

    private static void skipHeadAndBody(BufferedReader in) throws Exception {
        int len = skipHeadReturningLength(in);
        in.skip(len);
    }

    private static int skipHeadReturningLength(BufferedReader in) throws Exception {
        int len = 0;
        String line;
        while (!(line = in.readLine()).isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                len = Integer.parseInt(line.substring(15).trim());
            }
        }
        return len;
    }
}
