package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.client.HijackedConnection;
import dev.skiff.cli.client.SocketApiClient;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams through the server: chunked responses, a large upload, hijacked connections with half-close. */
class HttpStreamingTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    static Path dir;
    static TestServer srv;
    static volatile CountDownLatch release = new CountDownLatch(1);
    static volatile CountDownLatch uploadReading = new CountDownLatch(1);
    static final AtomicLong heapGrowthMib = new AtomicLong(-1);
    static volatile CompletableFuture<String> afterHalfClose = new CompletableFuture<>();
    static volatile CompletableFuture<Boolean> followerStopped = new CompletableFuture<>();

    @BeforeAll
    static void start() throws Exception {
        Router r = new Router()
                .add("GET", "/logs", (req, resp) -> {
                    OutputStream out = resp.stream(200, "text/plain");
                    out.write("first\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    release.await(10, TimeUnit.SECONDS);
                    out.write("second\n".getBytes(StandardCharsets.UTF_8));
                    out.close();
                })
                .add("GET", "/follow", (req, resp) -> {
                    OutputStream out = resp.stream(200, "text/plain");
                    try {
                        while (!req.clientGone()) {
                            out.write("line\n".getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            Thread.sleep(5);
                        }
                        followerStopped.complete(true);
                    } catch (java.io.IOException e) {
                        followerStopped.complete(true);
                        throw e;
                    }
                })
                .add("POST", "/images/load", (req, resp) -> {
                    InputStream in = req.body();
                    byte[] buf = new byte[64 * 1024];
                    long total = 0;
                    long maxDirect = 0;
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (total >= 8 * MIB) {
                            uploadReading.countDown();
                        }
                        if (total >= 50 * MIB && heapGrowthMib.get() < 0) {
                            heapGrowthMib.set(usedHeapAfterGc() / MIB - baselineHeapMib);
                        }
                        maxDirect = Math.max(maxDirect, PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
                    }
                    resp.json(200, Map.of("bytes", total, "maxDirect", maxDirect));
                })
                .add("POST", "/sink", (req, resp) -> {
                    byte[] buf = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = req.body().read(buf)) > 0; ) {
                        total += n;
                    }
                    resp.json(200, Map.of("bytes", total));
                })
                .add("GET", "/halfway", (req, resp) -> {
                    OutputStream out = resp.stream(200, "text/plain");
                    out.write("partial\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    throw new IllegalStateException("the log file vanished");
                })
                .add("POST", "/build", (req, resp) -> {
                    throw new dev.skiff.errors.InvalidArgumentException("no Dockerfile in the build context");
                })
                .add("POST", "/containers/{id}/attach", (req, resp) -> {
                    Hijacked h = resp.hijack("application/vnd.docker.raw-stream");
                    byte[] in = h.in().readAllBytes();
                    h.out().write(in);
                    h.closeOutput();
                })
                .add("POST", "/exec/{id}/start", (req, resp) -> {
                    Hijacked h = resp.hijack("application/vnd.docker.multiplexed-stream");
                    h.out().write("ready".getBytes(StandardCharsets.UTF_8));
                    h.closeOutput();
                    afterHalfClose.complete(new String(h.in().readAllBytes(), StandardCharsets.UTF_8));
                    h.close();
                })
                .add("GET", "/big", (req, resp) -> {
                    long size = Long.parseLong(req.query("size").orElseThrow());
                    byte[] chunk = new byte[Integer.parseInt(req.query("write").orElse("65536"))];
                    try (OutputStream out = resp.stream(200, "application/octet-stream")) {
                        for (long sent = 0; sent < size; sent += chunk.length) {
                            out.write(chunk);
                        }
                    }
                })
                .add("POST", "/big/hijack", (req, resp) -> {
                    long size = Long.parseLong(req.query("size").orElseThrow());
                    byte[] chunk = new byte[32 * 1024];
                    try (Hijacked h = resp.hijack("application/vnd.docker.raw-stream")) {
                        OutputStream out = new StdCopyOutputStream(h.out(), StdCopyOutputStream.STDOUT, true);
                        for (long sent = 0; sent < size; sent += chunk.length) {
                            out.write(chunk);
                        }
                        h.closeOutput();
                    }
                });
        srv = new TestServer(r, dir);
        baselineHeapMib = usedHeapAfterGc() / MIB;
    }

    static volatile long baselineHeapMib;

    static long usedHeapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @AfterAll
    static void stop() {
        srv.close();
    }

    @Test
    void stream_chunksReachTheClientBeforeTheHandlerEnds() throws Exception {
        release = new CountDownLatch(1);
        try (SocketApiClient c = new SocketApiClient(srv.unixHost());
             ApiResponse resp = c.send(ApiRequest.get("/logs"))) {
            assertThat(resp.header("Transfer-Encoding")).contains("chunked");
            BufferedReader lines = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("first");
            release.countDown();
            assertThat(lines.readLine()).isEqualTo("second");
            assertThat(lines.readLine()).isNull();
        }
        release = new CountDownLatch(1);
        var http = HttpClient.newHttpClient();
        var resp = http.send(java.net.http.HttpRequest.newBuilder(URI.create(srv.httpBase() + "/v1.45/logs")).build(),
                BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("first");
            release.countDown();
            assertThat(lines.readLine()).isEqualTo("second");
        }
    }

    @Test
    void stream_toAnHttp10Client_isDelimitedByClose() throws Exception {
        release = new CountDownLatch(0);
        try (var s = new java.net.Socket("127.0.0.1", srv.port)) {
            s.getOutputStream().write("GET /logs HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("connection: close")
                    .doesNotContainIgnoringCase("chunked").endsWith("\r\n\r\nfirst\nsecond\n");
        }
    }

    @Test
    void stream_handlerSeesTheClientGo() throws Exception {
        followerStopped = new CompletableFuture<>();
        try (SocketApiClient c = new SocketApiClient(srv.tcpHost());
             ApiResponse resp = c.send(ApiRequest.get("/follow"))) {
            assertThat(resp.body().readNBytes(50)).hasSize(50);
        }
        assertThat(followerStopped.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void failureAfterCommit_closesTheConnectionMidBody() throws Exception {
        try (SocketApiClient c = new SocketApiClient(srv.unixHost());
             ApiResponse resp = c.send(ApiRequest.get("/halfway"))) {
            assertThat(resp.status()).isEqualTo(200);
            byte[] start = resp.body().readNBytes(8);
            assertThat(new String(start, StandardCharsets.UTF_8)).isEqualTo("partial\n");
            assertThatThrownBy(() -> resp.body().readAllBytes()).isInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void upload_ofHundredMib_isStreamedToTheHandler() throws Exception {
        long size = 100 * MIB;
        CompletableFuture<Boolean> handlerReadEarly = new CompletableFuture<>();
        InputStream generated = new InputStream() {
            long produced;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (produced >= size) {
                    return -1;
                }
                if (produced >= 32 * MIB && !handlerReadEarly.isDone()) {
                    try {
                        // If the server buffered the upload before calling the handler, this would time out.
                        handlerReadEarly.complete(uploadReading.await(20, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        handlerReadEarly.complete(false);
                    }
                }
                int n = (int) Math.min(len, size - produced);
                produced += n;
                return n;
            }
        };
        try (SocketApiClient c = new SocketApiClient(srv.unixHost());
             ApiResponse resp = c.send(ApiRequest.post("/images/load").withBody(generated, "application/x-tar"))) {
            JsonNode result = resp.json();
            assertThat(result.get("bytes").asLong()).isEqualTo(size);
            assertThat(handlerReadEarly.getNow(false)).as("the handler read while the client was still sending").isTrue();
            assertThat(result.get("maxDirect").asLong()).as("direct memory in use during the upload").isLessThan(64 * MIB);
            assertThat(heapGrowthMib.get()).as("heap growth (MiB) half way through the upload").isBetween(-1000L, 40L);
            System.out.printf("upload: max direct memory %d KiB, heap growth %d MiB%n",
                    result.get("maxDirect").asLong() / 1024, heapGrowthMib.get());
        }
    }

    @Test
    void upload_rejectedBeforeItIsRead_stillGetsTheErrorToTheClient() throws Exception {
        for (String host : new String[] {srv.unixHost(), srv.tcpHost()}) {
            InputStream endless = zeros(100 * MIB);
            try (SocketApiClient c = new SocketApiClient(host)) {
                assertThatThrownBy(() -> c.send(ApiRequest.post("/build").withBody(endless, "application/x-tar")))
                        .isInstanceOfSatisfying(dev.skiff.cli.client.ApiException.class, e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.getMessage()).isEqualTo("no Dockerfile in the build context");
                        });
                try (ApiResponse after = c.send(ApiRequest.get("/logs?x=1"))) {
                    release.countDown();
                    assertThat(after.status()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void upload_whoseSourceFails_endsWithThatErrorInsteadOfHanging() throws Exception {
        InputStream broken = new InputStream() {
            int calls;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (++calls > 3) {
                    throw new java.io.IOException("disk read error in image.tar");
                }
                return len;
            }
        };
        try (SocketApiClient c = new SocketApiClient(srv.unixHost())) {
            assertThatThrownBy(() -> c.send(ApiRequest.post("/sink").withBody(broken, "application/x-tar")))
                    .hasMessageContaining("disk read error in image.tar");
        }
    }

    @Test
    void hijack_echoesAfterStdinHalfClose_thenHalfClosesBack() throws Exception {
        for (String host : new String[] {srv.unixHost(), srv.tcpHost()}) {
            try (SocketApiClient c = new SocketApiClient(host);
                 HijackedConnection h = c.hijack(ApiRequest.post("/containers/abc/attach?stream=1&stdin=1&stdout=1"))) {
                h.out().write("hello".getBytes(StandardCharsets.UTF_8));
                h.closeOutput();
                assertThat(new String(h.in().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
        }
    }

    @Test
    void hijack_serverHalfClosesFirst_andStillReadsTheClient() throws Exception {
        for (String host : new String[] {srv.unixHost(), srv.tcpHost()}) {
            afterHalfClose = new CompletableFuture<>();
            try (SocketApiClient c = new SocketApiClient(host);
                 HijackedConnection h = c.hijack(ApiRequest.postJson("/exec/e1/start", Map.of("Detach", false)))) {
                assertThat(new String(h.in().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ready");
                h.out().write("after".getBytes(StandardCharsets.UTF_8));
                h.closeOutput();
                assertThat(afterHalfClose.get(10, TimeUnit.SECONDS)).isEqualTo("after");
            }
        }
    }

    @Test
    void hijack_answers101WithDockerHeaders_or200WithoutUpgrade() throws Exception {
        try (var s = new java.net.Socket("127.0.0.1", srv.port)) {
            s.getOutputStream().write(("POST /v1.50/containers/x/attach HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 101 UPGRADED\r\n")
                    .contains("Content-Type: application/vnd.docker.raw-stream\r\n", "Connection: Upgrade\r\n",
                            "Upgrade: tcp\r\n", "Api-Version: 1.50\r\n")
                    .doesNotContainIgnoringCase("content-length");
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
        try (var s = new java.net.Socket("127.0.0.1", srv.port)) {
            s.getOutputStream().write("POST /containers/x/attach HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").doesNotContainIgnoringCase("content-length");
            s.shutdownOutput();
            assertThat(s.getInputStream().readAllBytes()).isEmpty();
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    @Test
    void throughput_ofStreamAndHijackOverTheUnixSocket() throws Exception {
        long size = 200 * MIB;
        byte[] buf = new byte[256 * 1024];
        try (SocketApiClient c = new SocketApiClient(srv.unixHost())) {
            try (ApiResponse warmUp = c.send(ApiRequest.get("/big?size=" + 64 * MIB))) {
                warmUp.body().transferTo(OutputStream.nullOutputStream());
            }
            for (int write : new int[] {65536, 8192}) {
                long t0 = System.nanoTime();
                long got = 0;
                try (ApiResponse resp = c.send(ApiRequest.get("/big?size=" + size + "&write=" + write))) {
                    int n;
                    while ((n = resp.body().read(buf)) > 0) {
                        got += n;
                    }
                }
                report("stream() with " + write / 1024 + " KiB writes", got, t0);
                assertThat(got).isEqualTo(size);
            }
            long t0 = System.nanoTime();
            long got;
            try (HijackedConnection h = c.hijack(ApiRequest.post("/big/hijack?size=" + size))) {
                h.closeOutput();
                got = dev.skiff.cli.client.StdCopy.demux(h.in(), OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
            }
            report("hijack + stdcopy frames of 32 KiB", got, t0);
            assertThat(got).isEqualTo(size);
            t0 = System.nanoTime();
            try (ApiResponse resp = c.send(ApiRequest.post("/sink").withBody(zeros(size), "application/x-tar"))) {
                assertThat(resp.json().get("bytes").asLong()).isEqualTo(size);
            }
            report("chunked upload through request.body()", size, t0);
        }
    }

    private static InputStream zeros(long size) {
        return new InputStream() {
            long produced;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (produced >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - produced);
                produced += n;
                return n;
            }
        };
    }

    private static void report(String what, long bytes, long t0) {
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("throughput over unix socket, %s: %d MiB in %.2f s = %.0f MiB/s%n",
                what, bytes / MIB, secs, bytes / MIB / secs);
    }
}
