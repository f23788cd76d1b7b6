package dev.skiff.engine.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads fluentd's forward protocol as fluentd's in_forward does: [TAG, TIME, RECORD(, OPTION)] in MessagePack, and
 * answers {"ack": CHUNK} when the option asks for it. The tag and time go into the fields as "tag" and "time".
 */
public final class FluentdDecoder {
    private static final class Incomplete extends RuntimeException {
        Incomplete() {
            super(null, null, false, false);
        }
    }

    private final boolean answerAcks;

    public FluentdDecoder(boolean answerAcks) {
        this.answerAcks = answerAcks;
    }

    public void decode(ByteArrayOutputStream buf, List<LogSinkContract.Received> out, Socket c) throws IOException {
        byte[] all = buf.toByteArray();
        int[] pos = {0};
        int done = 0;
        while (true) {
            Object entry;
            try {
                entry = read(all, pos);
            } catch (Incomplete e) {
                break;
            }
            done = pos[0];
            List<?> e = (List<?>) entry;
            @SuppressWarnings("unchecked")
            Map<String, Object> record = (Map<String, Object>) e.get(2);
            Map<String, String> fields = new LinkedHashMap<>();
            record.forEach((k, v) -> fields.put(k, String.valueOf(v)));
            fields.put("tag", (String) e.get(0));
            fields.put("time", String.valueOf(e.get(1)));
            out.add(new LogSinkContract.Received(fields.get("log"), "stderr".equals(fields.get("source")), fields));
            if (e.size() == 4 && answerAcks) {
                String chunk = (String) ((Map<?, ?>) e.get(3)).get("chunk");
                OutputStream o = c.getOutputStream();
                byte[] k = "ack".getBytes(StandardCharsets.UTF_8);
                byte[] v = chunk.getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream a = new ByteArrayOutputStream();
                a.write(0x81);
                a.write(0xa0 | k.length);
                a.writeBytes(k);
                a.write(0xa0 | v.length);
                a.writeBytes(v);
                o.write(a.toByteArray());
                o.flush();
            }
        }
        buf.reset();
        buf.write(all, done, all.length - done);
    }

    private static int u8(byte[] b, int[] p) {
        if (p[0] >= b.length) {
            throw new Incomplete();
        }
        return b[p[0]++] & 0xff;
    }

    private static long un(byte[] b, int[] p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | u8(b, p);
        }
        return v;
    }

    static Object read(byte[] b, int[] p) {
        int t = u8(b, p);
        if (t < 0x80) {
            return (long) t;
        }
        if ((t & 0xf0) == 0x80 || t == 0xde) {
            int n = t == 0xde ? (int) un(b, p, 2) : t & 0x0f;
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                m.put((String) read(b, p), read(b, p));
            }
            return m;
        }
        if ((t & 0xf0) == 0x90 || t == 0xdc) {
            int n = t == 0xdc ? (int) un(b, p, 2) : t & 0x0f;
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add(read(b, p));
            }
            return l;
        }
        int len;
        if ((t & 0xe0) == 0xa0) {
            len = t & 0x1f;
        } else if (t == 0xd9) {
            len = (int) un(b, p, 1);
        } else if (t == 0xda) {
            len = (int) un(b, p, 2);
        } else if (t == 0xdb) {
            len = (int) un(b, p, 4);
        } else if (t == 0xce) {
            return un(b, p, 4);
        } else if (t == 0xd7) {
            int type = u8(b, p);
            long sec = un(b, p, 4);
            long nsec = un(b, p, 4);
            return "EventTime(" + type + "," + sec + "," + nsec + ")";
        } else {
            throw new IllegalStateException("msgpack type 0x" + Integer.toHexString(t) + " in a fluentd entry");
        }
        if (p[0] + len > b.length) {
            throw new Incomplete();
        }
        String s = new String(b, p[0], len, StandardCharsets.UTF_8);
        p[0] += len;
        return s;
    }
}
