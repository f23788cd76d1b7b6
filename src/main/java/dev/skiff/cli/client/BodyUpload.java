package dev.skiff.cli.client;

import java.io.BufferedOutputStream;
import java.io.IOException;
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
    private static final int CHUNK = 256 * 1024;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile IOException sourceFailure;

    private BodyUpload() {
    }

    static BodyUpload start(BodyWriter source, OutputStream out, SocketConnection conn) {
        BodyUpload u = new BodyUpload();
        Thread.ofVirtual().name("skiff-upload").start(() -> u.run(source, out, conn));
        return u;
    }

    private void run(BodyWriter source, OutputStream out, SocketConnection conn) {
        try {
            Socketward socket = new Socketward(new ChunkedOutputStream(out));
            // chunks of up to 256 KiB: a writer's small writes (tar headers) do not each become a chunk
            BufferedOutputStream buffered = new BufferedOutputStream(socket, CHUNK);
            try {
                source.writeTo(buffered);
                buffered.flush();
            } catch (IOException e) {
                if (socket.failed) {
                    throw e;
                }
                sourceFailure = e;
                conn.close();
                throw e;
            }
            socket.chunked.finish();
            done.complete(null);
        } catch (Throwable t) {
            done.completeExceptionally(t);
        }
    }

    /** The chunked stream to the daemon, remembering whether writing to the socket failed (not the source). */
    private static final class Socketward extends OutputStream {
        private final ChunkedOutputStream chunked;
        private boolean failed;

        Socketward(ChunkedOutputStream chunked) {
            this.chunked = chunked;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                chunked.write(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close() {
            // the body ends with the last chunk, written by the upload; a writer closing its stream ends nothing
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
