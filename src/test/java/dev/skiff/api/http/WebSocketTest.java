package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebSocketTest {
    private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

    @Test
    void answersTheRfcsSampleKey() {
        assertThat(WebSocket.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void readsMaskedDataAcrossFragments_answersPings_andEndsAtClose_answeringIt() throws Exception {
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        client.write(frame(false, 0x1, "Hel".getBytes(), true));
        client.write(frame(true, 0x9, "p!".getBytes(), true)); // a ping between two fragments
        client.write(frame(true, 0x0, "lo".getBytes(), true));
        client.write(frame(true, 0x2, new byte[70_000], true)); // a 64-bit length
        client.write(frame(true, 0x8, new byte[] {0x03, (byte) 0xE9}, true)); // close 1001
        client.write(frame(true, 0x1, "after close".getBytes(), true));
        Conn conn = new Conn(client.toByteArray());
        WebSocket ws = new WebSocket(conn);

        byte[] got = ws.in().readAllBytes();

        assertThat(new String(got, 0, 5, StandardCharsets.UTF_8)).isEqualTo("Hello");
        assertThat(got).hasSize(5 + 70_000);
        byte[] sent = conn.sent.toByteArray();
        assertThat(Arrays.copyOfRange(sent, 0, 4)).containsExactly(0x8A, 2, 'p', '!'); // pong, unmasked
        assertThat(Arrays.copyOfRange(sent, 4, 8)).containsExactly(0x88, 2, 0x03, 0xE9); // the close, echoed
        assertThat(sent).hasSize(8);
    }

    @Test
    void anUnmaskedClientFrame_isAProtocolError() throws Exception {
        Conn conn = new Conn(frame(true, 0x1, "x".getBytes(), false));
        WebSocket ws = new WebSocket(conn);

        assertThat(ws.in().read()).isEqualTo(-1);
        assertThat(conn.sent.toByteArray()).containsExactly(0x88, 2, 0x03, 0xEA); // close 1002
    }

    @Test
    void aClientThatGoesInsideAFrame_endsTheInput() throws Exception {
        byte[] whole = frame(true, 0x1, "hello".getBytes(), true);
        WebSocket ws = new WebSocket(new Conn(Arrays.copyOf(whole, 4)));

        assertThat(ws.in().readAllBytes()).isEmpty();
    }

    @Test
    void eachWriteIsOneTextFrame_sizedAsTheRfcSays_andClosingSaysGoodbyeOnce() throws Exception {
        Conn conn = new Conn(new byte[0]);
        WebSocket ws = new WebSocket(conn);

        ws.out().write("hi".getBytes());
        ws.out().write(new byte[200]);
        ws.out().write(new byte[70_000]);
        ws.closeOutput();
        ws.closeOutput();

        byte[] sent = conn.sent.toByteArray();
        assertThat(Arrays.copyOfRange(sent, 0, 4)).containsExactly(0x81, 2, 'h', 'i');
        assertThat(Arrays.copyOfRange(sent, 4, 8)).containsExactly(0x81, 126, 0, 200);
        int third = 8 + 200;
        assertThat(Arrays.copyOfRange(sent, third, third + 10)).containsExactly(0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70);
        int close = third + 10 + 70_000;
        assertThat(Arrays.copyOfRange(sent, close, sent.length)).containsExactly(0x88, 2, 0x03, 0xE8);
        assertThat(conn.outputClosed).isTrue();
    }

    /** A client frame: FIN or not, opcode, payload, masked with {@link #MASK} or not. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            f.write(maskBit | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        if (masked) {
            f.writeBytes(MASK);
        }
        for (int i = 0; i < payload.length; i++) {
            f.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        }
        return f.toByteArray();
    }

    private static final class Conn implements Hijacked {
        final InputStream in;
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        boolean outputClosed;

        Conn(byte[] fromClient) {
            in = new ByteArrayInputStream(fromClient);
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
        public void closeOutput() {
            outputClosed = true;
        }

        @Override
        public void close() {
        }
    }
}
