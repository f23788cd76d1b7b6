package dev.skiff.runtime.runc;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a created container the way "runc start" itself does, without spawning runc: "runc init" waits,
 * after setting everything up, until someone reads its exec.fifo in runc's state directory; reading it
 * lets init exec the user's process, and removing it marks the container running (runc derives "created"
 * from the FIFO's existence). This saves a whole runc process (tens of ms) on every container start.
 */
final class ExecFifo {
    private static final long TIMEOUT_SECONDS = 10;

    private ExecFifo() {
    }

    /**
     * Releases the container's init process. Returns false when there is no FIFO or init never answered,
     * so the caller can fall back to "runc start", which reports why.
     */
    static boolean release(Path stateDir) {
        Path fifo = stateDir.resolve("exec.fifo");
        if (!Files.exists(fifo)) {
            return false;
        }
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            // init holds the write end open (blocked in open(2) until we come), so this open returns at once.
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, r -> Thread.ofPlatform().daemon().name("exec-fifo").start(r));
        try {
            byte[] data = read.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (data.length == 0) {
                return false;
            }
            Files.deleteIfExists(fifo);
            return true;
        } catch (TimeoutException e) {
            unblock(fifo);
            return false;
        } catch (ExecutionException | IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A read-write open never blocks on a FIFO and lets our blocked reader's open(2) return. */
    private static void unblock(Path fifo) {
        try {
            new RandomAccessFile(fifo.toFile(), "rw").close();
        } catch (IOException e) {
            // gone already
        }
    }
}
