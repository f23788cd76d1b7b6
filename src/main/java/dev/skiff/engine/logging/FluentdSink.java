package dev.skiff.engine.logging;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fluentd driver: fluentd's forward protocol in message mode, {@code [TAG, TIME, RECORD]} in MessagePack per
 * line, the record holding container_id, container_name (with its slash, as dockerd sends it), source (stdout or
 * stderr), log and the labels/env attributes; a piece of a long line adds partial_message. TIME is whole seconds,
 * or an EventTime with {@code fluentd-sub-second-precision}. With {@code fluentd-request-ack} every message carries a
 * chunk id and waits for fluentd's ack of it.
 */
final class FluentdSink extends TransportSink {
    static final int DEFAULT_PORT = 24224;

    private final boolean subSecond;
    private final boolean ack;
    private final String tag;
    private final Map<String, String> fixed = new LinkedHashMap<>();
    private final MsgPack pack = new MsgPack();

    FluentdSink(Transport transport, Endpoint endpoint, boolean subSecond, boolean ack, LogSource source) {
        super(transport, "fluentd at " + endpoint);
        this.subSecond = subSecond;
        this.ack = ack;
        this.tag = source.tag();
        fixed.put("container_id", source.id());
        fixed.put("container_name", "/" + source.name());
        source.extra().forEach(fixed::putIfAbsent);
    }

    @Override
    public void send(LogMessage m) throws IOException {
        String chunk = null;
        if (ack) {
            byte[] id = new byte[16];
            ThreadLocalRandom.current().nextBytes(id);
            chunk = Base64.getEncoder().encodeToString(id);
        }
        byte[] b = encode(m, chunk);
        transport.write(b, 0, b.length);
        if (chunk != null) {
            awaitAck(chunk);
        }
    }

    byte[] encode(LogMessage m, String chunk) {
        pack.reset();
        pack.array(chunk == null ? 3 : 4).str(tag);
        if (subSecond) {
            pack.eventTime(m.timeNanos());
        } else {
            pack.uint(Math.floorDiv(m.timeNanos(), 1_000_000_000L));
        }
        pack.map(fixed.size() + 2 + (m.partial() ? 1 : 0));
        fixed.forEach((k, v) -> pack.str(k).str(v));
        pack.str("source").str(m.source());
        pack.str("log").str(m.line());
        if (m.partial()) {
            pack.str("partial_message").str("true");
        }
        if (chunk != null) {
            pack.map(1).str("chunk").str(chunk);
        }
        return pack.toByteArray();
    }

    private void awaitAck(String chunk) throws IOException {
        try {
            DataInputStream in = new DataInputStream(transport.input());
            int n = MsgPack.readMapHeader(in);
            String got = null;
            for (int i = 0; i < n; i++) {
                String key = MsgPack.readStr(in);
                String value = MsgPack.readStr(in);
                if (key.equals("ack")) {
                    got = value;
                }
            }
            if (!chunk.equals(got)) {
                throw new IOException("fluentd acknowledged chunk " + got + ", not " + chunk);
            }
        } catch (IOException e) {
            transport.close(); // resend on a fresh connection
            throw e;
        }
    }

}
