package dev.skiff.engine.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The journald driver: one datagram per line to journald's native socket, in its native protocol ({@code
 * KEY=VALUE\n} per field; a value holding a newline goes as {@code KEY\n}, its length as 64-bit little-endian, the
 * bytes, {@code \n}). The fields are dockerd's: MESSAGE, PRIORITY (6 for stdout, 3 for stderr), CONTAINER_ID,
 * CONTAINER_ID_FULL, CONTAINER_NAME, CONTAINER_TAG, IMAGE_NAME, SYSLOG_IDENTIFIER (the tag), SYSLOG_TIMESTAMP (the
 * line's time), CONTAINER_PARTIAL_MESSAGE for a piece of a long line, and the labels/env attributes, their names
 * upper-cased with every other character than A-Z, 0-9 and _ made _.
 */
final class JournaldSink extends TransportSink {
    /** systemd's; SKIFF_JOURNALD_SOCKET names another (a test's, a systemd in another place). */
    static final String DEFAULT_SOCKET = "/run/systemd/journal/socket";
    private static final DateTimeFormatter RFC3339_NANO = DateTimeFormatter.ISO_INSTANT;

    private final Map<String, String> fixed = new LinkedHashMap<>();
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);

    JournaldSink(Transport transport, String socket, LogSource source) {
        super(transport, "journald at " + socket);
        fixed.put("CONTAINER_ID", source.shortId());
        fixed.put("CONTAINER_ID_FULL", source.id());
        fixed.put("CONTAINER_NAME", source.name());
        fixed.put("CONTAINER_TAG", source.tag());
        fixed.put("IMAGE_NAME", source.imageName());
        fixed.put("SYSLOG_IDENTIFIER", source.tag());
        source.extra().forEach((k, v) -> {
            String key = fieldName(k);
            if (!key.isEmpty()) {
                fixed.putIfAbsent(key, v);
            }
        });
    }

    static String socketPath() {
        String env = System.getenv("SKIFF_JOURNALD_SOCKET");
        return env == null || env.isBlank() ? DEFAULT_SOCKET : env;
    }

    /** journald's field names: upper case, A-Z 0-9 _ only, no leading _ (those are trusted fields). */
    static String fieldName(String key) {
        StringBuilder s = new StringBuilder();
        for (char c : key.toUpperCase(Locale.ROOT).toCharArray()) {
            s.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        int i = 0;
        while (i < s.length() && s.charAt(i) == '_') {
            i++;
        }
        return s.substring(i);
    }

    @Override
    void connect() throws IOException {
        try {
            transport.connect();
        } catch (IOException e) {
            throw new IOException("journald is not enabled on this host: " + e.getMessage(), e);
        }
    }

    @Override
    public void send(LogMessage m) throws IOException {
        byte[] d = datagram(m);
        transport.write(d, 0, d.length);
    }

    byte[] datagram(LogMessage m) {
        buf.reset();
        field("MESSAGE", m.line());
        field("PRIORITY", m.stderr() ? "3" : "6");
        fixed.forEach(this::field);
        field("SYSLOG_TIMESTAMP", RFC3339_NANO.format(Instant.ofEpochSecond(0, m.timeNanos())));
        if (m.partial()) {
            field("CONTAINER_PARTIAL_MESSAGE", "true");
        }
        return buf.toByteArray();
    }

    private void field(String key, String value) {
        field(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private void field(String key, byte[] value) {
        buf.writeBytes(key.getBytes(StandardCharsets.US_ASCII));
        boolean binary = false;
        for (byte b : value) {
            if (b == '\n') {
                binary = true;
                break;
            }
        }
        if (!binary) {
            buf.write('=');
            buf.writeBytes(value);
        } else {
            buf.write('\n');
            long n = value.length;
            for (int i = 0; i < 8; i++) {
                buf.write((int) (n >>> (8 * i)) & 0xff);
            }
            buf.writeBytes(value);
        }
        buf.write('\n');
    }
}
