package dev.skiff.engine.logging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads a syslog message as a server would: its priority, its header, and the line after it. */
public final class SyslogDecoder {
    private SyslogDecoder() {
    }

    public static LogSinkContract.Received decode(byte[] frame) {
        String m = new String(frame, StandardCharsets.UTF_8);
        if (m.endsWith("\n")) {
            m = m.substring(0, m.length() - 1);
        }
        int close = m.indexOf('>');
        int pri = Integer.parseInt(m.substring(1, close));
        int body = m.startsWith("1 ", close + 1) ? m.indexOf(" - ", close) + 3 : m.indexOf("]: ", close) + 3;
        return new LogSinkContract.Received(m.substring(body), pri % 8 == 3,
                Map.of("pri", Integer.toString(pri), "header", m.substring(0, body)));
    }

    /** Newline-framed messages on a stream (the default framing). */
    public static void lines(java.io.ByteArrayOutputStream buf, List<LogSinkContract.Received> out) {
        TcpDestination.frames(buf, (byte) '\n', (f, n) -> out.add(decode(f)));
    }
}
