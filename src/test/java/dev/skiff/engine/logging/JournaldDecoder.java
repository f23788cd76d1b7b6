package dev.skiff.engine.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads journald's native protocol: KEY=VALUE lines, or KEY, a 64-bit little-endian length and the bytes. */
public final class JournaldDecoder {
    private JournaldDecoder() {
    }

    public static Map<String, String> fields(byte[] d) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        int p = 0;
        while (p < d.length) {
            int nl = p;
            while (nl < d.length && d[nl] != '\n') {
                nl++;
            }
            String head = new String(d, p, nl - p, StandardCharsets.UTF_8);
            int eq = head.indexOf('=');
            if (eq >= 0) {
                out.put(head.substring(0, eq), head.substring(eq + 1));
                p = nl + 1;
                continue;
            }
            long len = 0;
            for (int i = 0; i < 8; i++) {
                len |= (long) (d[nl + 1 + i] & 0xff) << (8 * i);
            }
            int start = nl + 9;
            out.put(head, new String(d, start, (int) len, StandardCharsets.UTF_8));
            if (d[start + (int) len] != '\n') {
                throw new IOException("binary field " + head + " not ended by a newline");
            }
            p = start + (int) len + 1;
        }
        return out;
    }

    public static void decode(byte[] d, List<LogSinkContract.Received> out) throws IOException {
        Map<String, String> f = fields(d);
        out.add(new LogSinkContract.Received(f.get("MESSAGE"), "3".equals(f.get("PRIORITY")), f));
    }
}
