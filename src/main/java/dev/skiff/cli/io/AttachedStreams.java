package dev.skiff.cli.io;

import dev.skiff.cli.client.HijackedConnection;
import dev.skiff.sys.DetachKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a hijacked attach/exec connection: a virtual thread copies stdin to the container and
 * half-closes at EOF; the calling thread copies output (raw with a TTY, else demultiplexed)
 * until the daemon closes it. With detach keys (a TTY session, as the docker CLI does it), typing them
 * ends the session at once: they are not sent, the connection is closed, and {@link #pump} says so.
 */
public final class AttachedStreams {
    /** What the docker CLI prints when its user detached. */
    public static final String DETACHED = "read escape sequence";

    private AttachedStreams() {
    }

    /** As {@link #pump(HijackedConnection, InputStream, boolean, OutputStream, OutputStream, DetachKeys)}, no keys. */
    public static void pump(HijackedConnection conn, InputStream stdin, boolean tty, OutputStream out, OutputStream err)
            throws IOException {
        pump(conn, stdin, tty, out, err, null);
    }

    /**
     * @param stdin  null when stdin is not attached
     * @param detach the detach sequence to watch stdin for, or null
     * @return whether the user detached
     */
    public static boolean pump(HijackedConnection conn, InputStream stdin, boolean tty, OutputStream out,
                               OutputStream err, DetachKeys detach) throws IOException {
        Thread input = null;
        AtomicBoolean detached = new AtomicBoolean();
        if (stdin != null) {
            // a platform thread: a read of the terminal blocks in native code, and on a virtual thread it would hold
            // a carrier (on a one-CPU host the only one, which the wait for the container's exit needs)
            input = Thread.ofPlatform().daemon().name("skiff-stdin").start(() -> {
                try {
                    if (detach == null) {
                        StdStreams.copy(stdin, conn.out());
                    } else if (copyUntilDetach(stdin, conn.out(), detach)) {
                        detached.set(true);
                        conn.close(); // ends the output copy below
                        return;
                    }
                    conn.closeOutput();
                } catch (IOException e) {
                    // the container went away while we were sending: output tells the rest
                }
            });
        }
        try {
            if (tty) {
                StdStreams.copy(conn.in(), out);
            } else {
                StdStreams.demux(conn.in(), out, err);
            }
        } catch (IOException e) {
            if (!detached.get()) {
                throw e;
            }
        } finally {
            out.flush();
            err.flush();
            if (input != null) {
                // stdin may block forever on a terminal; the daemon closing output is the end of the session
                input.interrupt();
            }
        }
        return detached.get();
    }

    /** Copies stdin until its end (false) or the detach sequence (true; the keys themselves are not sent). */
    private static boolean copyUntilDetach(InputStream stdin, OutputStream to, DetachKeys detach) throws IOException {
        byte[] buf = new byte[32 * 1024];
        for (int n; (n = stdin.read(buf)) >= 0; ) {
            boolean done = detach.filter(buf, 0, n, (b, off, len) -> {
                to.write(b, off, len);
                to.flush();
            });
            if (done) {
                return true;
            }
        }
        return false;
    }
}
