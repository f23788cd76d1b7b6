package dev.skiff.registry.server;

import dev.skiff.image.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One blob upload in progress: a file under uploads/ that only ever grows at its end, and the running
 * sha256 of what it holds, so closing the session needs no second read. Its bytes become a blob only when
 * the digest the client names matches; until then nothing outside uploads/ sees them.
 */
public final class UploadSession {
    private final String id;
    private final String repository;
    private final Path file;
    private final FileChannel channel;
    private final MessageDigest sha256 = Digest.newSha256();
    /**
     * One request at a time appends; a second one concurrently is refused rather than interleaved. Not a
     * lock owned by a thread: the network thread takes it when a body starts, a handler thread frees it.
     */
    private final AtomicBoolean busy = new AtomicBoolean();
    private long size;
    private volatile Instant lastUsed = Instant.now();

    UploadSession(String id, String repository, Path file) throws IOException {
        this.id = id;
        this.repository = repository;
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    public String id() {
        return id;
    }

    public String repository() {
        return repository;
    }

    Path file() {
        return file;
    }

    public synchronized long size() {
        return size;
    }

    Instant lastUsed() {
        return lastUsed;
    }

    /** Takes the session for one request's body; false when another request holds it. */
    boolean acquire() {
        return busy.compareAndSet(false, true);
    }

    void release() {
        busy.set(false);
    }

    /** Appends bytes (called by the network thread as a request body arrives). */
    public synchronized void append(ByteBuffer data) throws IOException {
        ByteBuffer forDigest = data.duplicate();
        while (data.hasRemaining()) {
            size += channel.write(data);
        }
        sha256.update(forDigest);
        lastUsed = Instant.now();
    }

    /** The digest of everything appended so far. */
    public synchronized Digest digest() {
        try {
            return Digest.of((MessageDigest) sha256.clone());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
        }
    }

    /** Flushes the file to disk before it is renamed into the blob store. */
    synchronized void sync() throws IOException {
        channel.force(true);
    }

    synchronized void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is deleted or moved next; a failed close loses nothing
        }
    }

    void discard() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // uploads/ is emptied at the next start
        }
    }
}
