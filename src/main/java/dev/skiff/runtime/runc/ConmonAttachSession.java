package dev.skiff.runtime.runc;

import dev.skiff.runtime.AttachSession;
import dev.skiff.runtime.unix.Posix;
import java.io.IOException;

/**
 * A client of conmon's attach socket (AF_UNIX, SOCK_SEQPACKET). Protocol (conmon conn_sock.c/ctr_stdio.c):
 * every packet from conmon is one read of the container's output prefixed by a byte naming the pipe
 * (2 = stdout, 3 = stderr); what the client sends is raw stdin; shutdown(SHUT_WR) reaches conmon as EOF, which
 * closes the container's stdin unless conmon runs with --leave-stdin-open.
 */
final class ConmonAttachSession implements AttachSession {
    private static final int CONMON_STDOUT = 2, CONMON_STDERR = 3;
    private static final int PACKET = 32 * 1024 + 1;

    private final int fd;
    private final boolean stdout, stderr;
    private final OutputQueue output = new OutputQueue(1);
    private final Thread reader;
    private volatile boolean closed;

    ConmonAttachSession(int fd, boolean stdout, boolean stderr) {
        this.fd = fd;
        this.stdout = stdout;
        this.stderr = stderr;
        // A platform thread: recv(2) through FFM blocks its carrier, which a virtual thread must not do.
        this.reader = Thread.ofPlatform().daemon().name("attach-" + fd).start(this::pump);
    }

    private void pump() {
        byte[] buf = new byte[PACKET];
        IOException failure = null;
        try (Posix.Receiver receiver = new Posix.Receiver(PACKET)) {
            int n;
            while (!closed && (n = receiver.recv(fd, buf)) > 0) {
                int stream = buf[0] == CONMON_STDERR ? STDERR : buf[0] == CONMON_STDOUT ? STDOUT : 0;
                if ((stream == STDOUT && stdout) || (stream == STDERR && stderr)) {
                    output.put(stream, buf, 1, n - 1);
                }
            }
        } catch (IOException e) {
            failure = closed ? null : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            output.finish(failure);
        }
    }

    @Override
    public boolean readOutput(OutputSink sink) throws IOException {
        return output.read(sink);
    }

    @Override
    public void writeStdin(byte[] data, int off, int len) throws IOException {
        // Packets bigger than conmon's buffer would be truncated by recvfrom: send in pieces.
        for (int sent = 0; sent < len; ) {
            int chunk = Math.min(len - sent, 32 * 1024 - 1);
            Posix.send(fd, data, off + sent, chunk);
            sent += chunk;
        }
    }

    @Override
    public void closeStdin() {
        if (!closed) {
            Posix.shutdown(fd, Posix.SHUT_WR);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Posix.shutdown(fd, Posix.SHUT_RDWR); // wakes the reader's recv
        output.drain();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Posix.close(fd);
    }
}
