package dev.skiff.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends a streamed request body (chunked) on its own virtual thread, so the caller can read the
 * response head meanwhile: a daemon that rejects the request early is heard instead of deadlocking
 * against a full socket. If the local source fails, the connection is closed at once, or the daemon
 * would wait for the rest of the body and the caller for an answer, forever.
 */
final class BodyUpload {
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile IOException sourceFailure;

    private BodyUpload() {
    }

    static BodyUpload start(InputStream source, OutputStream out, SocketConnection conn) {
        BodyUpload u = new BodyUpload();
        Thread.ofVirtual().name("skiff-upload").start(() -> u.run(source, out, conn));
        return u;
    }

    private void run(InputStream source, OutputStream out, SocketConnection conn) {
        try (source) {
            ChunkedOutputStream chunked = new ChunkedOutputStream(out);
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = source.read(buf);
                } catch (IOException e) {
                    sourceFailure = e;
                    conn.close();
                    throw e;
                }
                if (n < 0) {
                    break;
                }
                chunked.write(buf, 0, n);
            }
            chunked.finish();
            done.complete(null);
        } catch (Throwable t) {
            done.completeExceptionally(t);
        }
    }

    /** The local source failed (not the socket): the reason the exchange broke. */
    IOException sourceFailure() {
        return sourceFailure;
    }

    /** Waits until the whole body is sent. */
    void await() throws IOException {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending the request body");
        } catch (ExecutionException e) {
            throw new IOException("sending the request body failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
