package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload routes read their request body from the socket themselves ({@link DirectBody}): chunked and sized bodies,
 * bodies the decoder had partly buffered, half-closes, malformed framing and clients that leave, over the unix socket
 * and TCP, with requests written by hand so every framing case is exact.
 */
class DirectBodyTest {
    @TempDir
    static Path dir;
    static TestServer srv;
    /** What the upload handler's reading thread ended with: the body's sha256 and length, or its failure. */
    static volatile CompletableFuture<String> outcome = new CompletableFuture<>();

    @BeforeAll
    static void start() throws Exception {
        Router r = new Router()
                .addUpload("POST", "/upload", (req, resp) -> {
                    // read on a platform thread, as the builder does
                    CompletableFuture<String> result = new CompletableFuture<>();
                    Thread t = Thread.ofPlatform().start(() -> {
                        try {
                            result.complete(digest(req.body()));
                        } catch (IOException e) {
                            result.complete("failed: " + e.getMessage());
                        }
                    });
                    t.join();
                    String got = result.join();
                    if (got.contains("closed the connection")) { // the exchange learns it too, while it still runs
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (!req.clientGone() && System.nanoTime() < deadline) {
                            Thread.sleep(10);
                        }
                        got += req.clientGone() ? " (client gone)" : " (client not seen gone)";
                    }
                    outcome.complete(got);
                    resp.json(200, Map.of("result", result.join()));
                })
                .add("POST", "/plain", (req, resp) -> resp.json(200, Map.of("result", digest(req.body()))));
        srv = new TestServer(r, dir);
    }

    @AfterAll
    static void stop() {
        srv.close();
    }

    @BeforeEach
    void reset() {
        outcome = new CompletableFuture<>();
    }

    @Test
    void chunkedBody_inManyUnevenChunksWithExtensionsAndTrailers_arrivesWhole_andTheConnectionCloses() throws Exception {
        byte[] data = random(3 << 20, 1);
        for (boolean unix : new boolean[] {true, false}) {
            reset();
            try (SocketChannel ch = connect(unix)) {
                OutputStream out = Channels.newOutputStream(ch);
                out.write(head("Transfer-Encoding: chunked"));
                Random sizes = new Random(7);
                int at = 0;
                while (at < data.length) {
                    int n = Math.min(data.length - at, 1 + sizes.nextInt(70_000));
                    String ext = sizes.nextBoolean() ? ";name=value" : "";
                    out.write((Integer.toHexString(n) + ext + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(data, at, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    at += n;
                    if (sizes.nextInt(20) == 0) {
                        out.flush();
                        Thread.sleep(2); // let the reader catch up and wait in poll
                    }
                }
                out.write("0\r\nX-Trailer: yes\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String response = readToClose(ch);
                assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close")
                        .contains(sha(data));
            }
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(sha(data));
        }
    }

    @Test
    void sizedBody_sentWithItsHead_orAllInOneWrite_orHalfClosedAfter_arrivesWhole() throws Exception {
        byte[] big = random(5 << 20, 2);
        byte[] small = random(300, 3);
        for (byte[] data : new byte[][] {big, small}) {
            for (boolean halfClose : new boolean[] {false, true}) {
                reset();
                try (SocketChannel ch = connect(true)) {
                    ByteArrayOutputStream request = new ByteArrayOutputStream();
                    request.write(head("Content-Length: " + data.length));
                    request.write(data);
                    OutputStream out = Channels.newOutputStream(ch);
                    out.write(request.toByteArray()); // the decoder's first read holds the head and part or all of the body
                    out.flush();
                    if (halfClose) {
                        ch.shutdownOutput();
                    }
                    assertThat(readToClose(ch)).startsWith("HTTP/1.1 200").contains(sha(data));
                }
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(sha(data));
            }
        }
    }

    @Test
    void malformedChunkSize_failsTheRead_withWhatWasWrong() throws Exception {
        try (SocketChannel ch = connect(true)) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(head("Transfer-Encoding: chunked"));
            out.write("5\r\nhello\r\nzz\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).startsWith("failed: malformed chunked request body: bad chunk size");
        }
        reset();
        try (SocketChannel ch = connect(true)) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(head("Transfer-Encoding: chunked"));
            out.write("3\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).contains("a chunk is longer than its size says");
        }
    }

    @Test
    void clientLeavingMidBody_failsTheRead() throws Exception {
        for (boolean unix : new boolean[] {true, false}) {
            reset();
            try (SocketChannel ch = connect(unix)) {
                OutputStream out = Channels.newOutputStream(ch);
                out.write(head("Content-Length: 1000000"));
                out.write(new byte[1000]);
                out.flush();
                Thread.sleep(100);
            }
            assertThat(outcome.get(10, TimeUnit.SECONDS))
                    .isEqualTo("failed: the client closed the connection before the request body ended (client gone)");
        }
    }

    @Test
    void bytesAfterTheBody_areNotTakenAsARequest_andOrdinaryRoutesKeepTheirConnection() throws Exception {
        try (SocketChannel ch = connect(true)) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(head("Content-Length: 3"));
            out.write("abc".getBytes(StandardCharsets.US_ASCII));
            out.write("POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readToClose(ch);
            assertThat(response).contains(sha("abc".getBytes(StandardCharsets.US_ASCII)));
            assertThat(response.split("HTTP/1.1 ", -1)).hasSize(2); // one response, then the close
        }
        try (SocketChannel ch = connect(true)) {
            OutputStream out = Channels.newOutputStream(ch);
            String plain = "POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n%s\r\nhi";
            out.write(plain.formatted("").getBytes(StandardCharsets.US_ASCII));
            out.write(plain.formatted("Connection: close\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readToClose(ch).split("HTTP/1.1 200", -1)).hasSize(3); // both answered on one connection
        }
    }

    private static byte[] head(String framing) {
        return ("POST /v1.50/upload?x=1 HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static SocketChannel connect(boolean unix) throws IOException {
        if (unix) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(srv.socket));
            return ch;
        }
        return SocketChannel.open(new java.net.InetSocketAddress("127.0.0.1", srv.port));
    }

    private static String readToClose(SocketChannel ch) throws IOException {
        return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static String digest(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[50_000];
        for (int n; (n = in.read(buf)) >= 0; ) {
            sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
