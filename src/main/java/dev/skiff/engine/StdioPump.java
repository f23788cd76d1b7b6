package dev.skiff.engine;

import dev.skiff.sys.DetachKeys;
import dev.skiff.runtime.AttachSession;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a container's stdio (an attach or exec session) to a client: stdin is copied on a virtual thread
 * until the client half-closes; output is copied on the caller's thread until the process's stdio closes.
 * Output is flushed after every burst the session hands over, since attach and exec are interactive.
 */
public final class StdioPump {
    private static final Logger LOG = LoggerFactory.getLogger(StdioPump.class);

    private StdioPump() {
    }

    /**
     * @param stdin            the client's input, or null when it sends none
     * @param closeStdinAtEof  deliver EOF to the process when the client's input ends (StdinOnce / exec)
     * @param detach           the detach sequence, or null: typing it ends this attach and leaves the process running
     */
    public static void run(AttachSession session, InputStream stdin, boolean closeStdinAtEof, StreamWriter out,
                           DetachKeys detach) throws IOException {
        run(session, stdin, closeStdinAtEof, out, detach, () -> {
            try {
                session.close(); // ends readOutput below; the container keeps running
            } catch (IOException e) {
                LOG.debug("closing a detached attach session: {}", e.toString());
            }
        });
    }

    /**
     * As above, with what a detach does: {@code onDetach} runs on the stdin thread when the client typed the
     * sequence; from then on nothing more is written to {@code out}, and this returns once the session's output
     * ends (an exec's process keeps running after a detach: its output is read and dropped until it exits, so
     * that it never blocks on a full pipe).
     */
    public static void run(AttachSession session, InputStream stdin, boolean closeStdinAtEof, StreamWriter out,
                           DetachKeys detach, Runnable onDetach) throws IOException {
        Thread input = null;
        java.util.concurrent.atomic.AtomicBoolean detached = new java.util.concurrent.atomic.AtomicBoolean();
        if (stdin != null) {
            // A platform thread: the write to the container's stdin blocks in native code (a pipe's write, conmon's
            // socket's send) while the process does not read, which on a virtual thread holds its carrier: two such
            // clients stalled every request of the daemon.
            input = Thread.ofPlatform().daemon().name("stdin-pump").stackSize(256 * 1024).start(() -> {
                byte[] buf = new byte[32 * 1024];
                try {
                    int n;
                    while ((n = stdin.read(buf)) >= 0) {
                        if (detach == null) {
                            session.writeStdin(buf, 0, n);
                        } else if (detach.filter(buf, 0, n, session::writeStdin)) {
                            detached.set(true);
                            onDetach.run();
                            return;
                        }
                    }
                    if (closeStdinAtEof) {
                        session.closeStdin();
                    }
                } catch (IOException e) {
                    LOG.debug("stdin pump ended: {}", e.toString());
                }
            });
        }
        try {
            // readOutput hands over a burst of what is ready; one flush per burst keeps interactive output
            // prompt without a write and a wake-up per conmon packet on bulk output.
            while (session.readOutput((stream, data, off, len) -> {
                if (!detached.get()) {
                    out.write(stream == AttachSession.STDERR ? StreamWriter.STDERR : StreamWriter.STDOUT, data, off, len);
                }
            })) {
                if (!detached.get()) {
                    out.flush();
                }
            }
            if (!detached.get()) {
                out.flush();
            }
        } catch (IOException e) {
            if (!detached.get()) {
                throw e;
            }
            // the session was closed by a detach: a normal end
        } finally {
            if (input != null) {
                input.interrupt();
            }
        }
    }
}
