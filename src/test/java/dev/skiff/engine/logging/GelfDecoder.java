package dev.skiff.engine.logging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/** Reads GELF as Graylog does: chunks put together by message id, gzip or zlib undone, the JSON's fields. */
public final class GelfDecoder {
    private final Map<String, TreeMap<Integer, byte[]>> chunks = new HashMap<>();

    public synchronized void datagram(byte[] d, List<LogSinkContract.Received> out) throws IOException {
        if (d.length > 12 && d[0] == 0x1e && d[1] == 0x0f) {
            String id = java.util.HexFormat.of().formatHex(d, 2, 10);
            TreeMap<Integer, byte[]> parts = chunks.computeIfAbsent(id, k -> new TreeMap<>());
            parts.put((int) d[10], java.util.Arrays.copyOfRange(d, 12, d.length));
            if (parts.size() < d[11]) {
                return;
            }
            chunks.remove(id);
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            parts.values().forEach(whole::writeBytes);
            d = whole.toByteArray();
        }
        out.add(json(inflate(d)));
    }

    static byte[] inflate(byte[] d) throws IOException {
        if (d.length > 2 && (d[0] & 0xff) == 0x1f && (d[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(new ByteArrayInputStream(d)).readAllBytes();
        }
        if (d.length > 2 && (d[0] & 0xff) == 0x78) {
            return new InflaterInputStream(new ByteArrayInputStream(d)).readAllBytes();
        }
        return d;
    }

    public static LogSinkContract.Received json(byte[] json) throws IOException {
        JsonNode n = Json.MAPPER.readTree(json);
        Map<String, String> fields = new TreeMap<>();
        n.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        return new LogSinkContract.Received(n.path("short_message").asText(), n.path("level").asInt() == 3, fields);
    }
}
