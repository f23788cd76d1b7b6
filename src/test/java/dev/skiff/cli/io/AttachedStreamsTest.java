package dev.skiff.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.cli.client.HijackedConnection;
import dev.skiff.sys.DetachKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import org.junit.jupiter.api.Test;

class AttachedStreamsTest {
    @Test
    void theDetachKeysEndTheSession_withoutBeingSent() throws Exception {
        Conn conn = new Conn();
        byte[] typed = {'l', 's', '\n', 16, 17, 'x'};

        boolean detached = AttachedStreams.pump(conn, new ByteArrayInputStream(typed), true,
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), DetachKeys.parse(""));

        assertThat(detached).isTrue();
        assertThat(conn.sent.toByteArray()).containsExactly('l', 's', '\n');
        assertThat(conn.closed).isTrue();
        assertThat(conn.outputClosed).as("no stdin EOF for a detach").isFalse();
    }

    @Test
    void withoutTheKeys_stdinEndsWithAHalfClose() throws Exception {
        Conn conn = new Conn();

        boolean detached = AttachedStreams.pump(conn, new ByteArrayInputStream(new byte[] {16, 'q'}), true,
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), DetachKeys.parse(""));

        assertThat(detached).isFalse();
        assertThat(conn.sent.toByteArray()).containsExactly(16, 'q'); // a false start is ordinary input
        assertThat(conn.outputClosed).isTrue();
    }

    /** The daemon's side: output that ends when the session is closed or half-closed. */
    private static final class Conn implements HijackedConnection {
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final PipedOutputStream daemonOut = new PipedOutputStream();
        final InputStream in;
        volatile boolean closed;
        volatile boolean outputClosed;

        Conn() throws IOException {
            in = new PipedInputStream(daemonOut);
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return sent;
        }

        @Override
        public void closeOutput() throws IOException {
            outputClosed = true;
            daemonOut.close(); // the daemon answers stdin's EOF by ending the stream
        }

        @Override
        public void close() throws IOException {
            closed = true;
            daemonOut.close();
        }
    }
}
