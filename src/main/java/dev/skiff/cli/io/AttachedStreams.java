package dev.skiff.cli.io;

import dev.skiff.cli.client.HijackedConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs a hijacked attach/exec connection: a virtual thread copies stdin to the container and
 * half-closes at EOF; the calling thread copies output (raw with a TTY, else demultiplexed)
 * until the daemon closes it.
 */
public final class AttachedStreams {
    private AttachedStreams() {
    }

    /** @param stdin null when stdin is not attached */
    public static void pump(HijackedConnection conn, InputStream stdin, boolean tty, OutputStream out, OutputStream err)
            throws IOException {
        Thread input = null;
        if (stdin != null) {
            input = Thread.ofVirtual().name("skiff-stdin").start(() -> {
                try {
                    StdStreams.copy(stdin, conn.out());
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
        } finally {
            out.flush();
            err.flush();
            if (input != null) {
                // stdin may block forever on a terminal; the daemon closing output is the end of the session
                input.interrupt();
            }
        }
    }
}
