package dev.skiff.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server for a build's downloads: the files it is given are served whole; any other path is a
 * download that never ends (a block a tenth of a second for two minutes), which says when it was asked for and when
 * the daemon hung up on it.
 */
final class Downloads implements AutoCloseable {
    /** Counted down when the endless download is asked for. */
    final CountDownLatch asked = new CountDownLatch(1);
    /** Counted down when the daemon hangs up on the endless download. */
    final CountDownLatch gone = new CountDownLatch(1);
    private final HttpServer server;

    private Downloads(Map<String, byte[]> files) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] file = files.get(exchange.getRequestURI().getPath());
            if (file != null) {
                exchange.sendResponseHeaders(200, file.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(file);
                }
                return;
            }
            exchange.sendResponseHeaders(200, 0);
            asked.countDown();
            try (var out = exchange.getResponseBody()) {
                for (int i = 0; i < 1200; i++) {
                    out.write(new byte[512]);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                gone.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    static Downloads serve(Map<String, byte[]> files) throws IOException {
        return new Downloads(files);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
