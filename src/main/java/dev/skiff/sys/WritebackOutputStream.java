package dev.skiff.sys;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Writes a large file to its channel and starts its way to disk while it is still being written: after every
 * {@link #STEP} bytes, the kernel is asked to start writing them back (sync_file_range, which does not wait). The
 * fsync that makes the file durable (before its rename, or TreeSync of an unpacked tree) then finds little left
 * to write. Without this the disk idles while a layer streams in and the writer then waits for all of it at the
 * end: a 200 MB blob's fsync took ~90 ms and the syncfs after a 420 MB load ~200 ms, on the critical path.
 *
 * <p>Durability is unchanged: this only moves work forward; the caller still forces the file (or the filesystem)
 * before the file becomes visible. Where the head start cannot be had (sync_file_range refused), the file is
 * written as by any stream.
 */
public final class WritebackOutputStream extends OutputStream {
    /** Bytes between requests: large enough that one is worth a system call, small enough to keep the disk busy. */
    public static final long STEP = 16L << 20;

    private final FileChannel channel;
    private final Path path;
    private int fd = -1;
    private boolean unsupported;
    private long written;
    private long started;

    /** @param path the file {@code channel} writes, opened once more for the write-back requests */
    public WritebackOutputStream(FileChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        written += len;
        if (written - started >= STEP && !unsupported) {
            startWriteback();
        }
    }

    private void startWriteback() {
        try {
            if (fd < 0) {
                fd = Syscalls.openReadOnly(path);
            }
            Syscalls.startWriteback(fd, started, written - started);
            started = written;
        } catch (IOException e) {
            unsupported = true; // only a head start: the caller's own fsync does the real work and reports errors
        }
    }

    /** Closes the channel. */
    @Override
    public void close() throws IOException {
        try {
            if (fd >= 0) {
                Syscalls.close(fd);
                fd = -1;
            }
        } finally {
            channel.close();
        }
    }
}
