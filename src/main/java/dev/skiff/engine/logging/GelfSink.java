package dev.skiff.engine.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The gelf driver (Graylog Extended Log Format 1.1), as dockerd's go-gelf writer sends it: one JSON object per line
 * with version, host, short_message, timestamp (seconds), level (6 for stdout, 3 for stderr) and the fields
 * _container_id, _container_name, _image_id, _image_name, _command, _tag, _created and the labels/env attributes.
 * Over UDP it is compressed (gzip by default, zlib or none) and, above 1420 bytes, cut into GELF chunks (magic
 * 0x1e 0x0f, an 8-byte message id, sequence number and count); over TCP it is plain JSON ended by a NUL byte.
 */
final class GelfSink extends TransportSink {
    static final int CHUNK_SIZE = 1420;
    private static final int CHUNK_HEADER = 12, MAX_CHUNKS = 128;

    enum Compression { GZIP, ZLIB, NONE }

    private final Endpoint endpoint;
    private final Compression compression;
    private final int level;
    private final String host;
    private final ObjectNode fixed;

    GelfSink(Transport transport, Endpoint endpoint, Compression compression, int level, LogSource source) {
        super(transport, "gelf at " + endpoint);
        this.endpoint = endpoint;
        this.compression = endpoint.scheme().equals("udp") ? compression : Compression.NONE;
        this.level = level;
        host = source.hostname();
        fixed = Json.MAPPER.createObjectNode();
        fixed.put("_container_id", source.id());
        fixed.put("_container_name", source.name());
        fixed.put("_image_id", source.imageId());
        fixed.put("_image_name", source.imageName());
        fixed.put("_command", source.command());
        fixed.put("_tag", source.tag());
        fixed.put("_created", source.created());
        source.extra().forEach((k, v) -> {
            // GELF reserves _id; dockerd leaves such attributes out too
            if (!k.equals("id") && !fixed.has("_" + k)) {
                fixed.put("_" + k, v);
            }
        });
    }

    static Compression compression(String text) {
        return switch (text) {
            case "", "gzip" -> Compression.GZIP;
            case "zlib" -> Compression.ZLIB;
            case "none" -> Compression.NONE;
            default -> throw new InvalidArgumentException("Unknown gelf compression type " + text
                    + " (use gzip, zlib or none)");
        };
    }

    @Override
    public void send(LogMessage m) throws IOException {
        byte[] json = json(m);
        if (!endpoint.scheme().equals("udp")) {
            byte[] framed = java.util.Arrays.copyOf(json, json.length + 1); // ended by a NUL byte
            transport.write(framed, 0, framed.length);
            return;
        }
        byte[] packet = compress(json);
        if (packet.length <= CHUNK_SIZE) {
            transport.write(packet, 0, packet.length);
            return;
        }
        for (byte[] chunk : chunks(packet)) {
            transport.write(chunk, 0, chunk.length);
        }
    }

    byte[] json(LogMessage m) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("version", "1.1");
        o.put("host", host);
        o.put("short_message", new String(m.line(), StandardCharsets.UTF_8));
        o.put("timestamp", BigDecimal.valueOf(m.timeNanos(), 9).setScale(6, java.math.RoundingMode.DOWN));
        o.put("level", m.stderr() ? 3 : 6);
        o.setAll(fixed);
        return Json.COMPACT.writeValueAsBytes(o);
    }

    byte[] compress(byte[] json) throws IOException {
        if (compression == Compression.NONE) {
            return json;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 32);
        if (compression == Compression.GZIP) {
            try (GZIPOutputStream z = new GZIPOutputStream(out) {
                {
                    def.setLevel(level);
                }
            }) {
                z.write(json);
            }
        } else {
            Deflater d = new Deflater(level);
            try (DeflaterOutputStream z = new DeflaterOutputStream(out, d)) {
                z.write(json);
            } finally {
                d.end();
            }
        }
        return out.toByteArray();
    }

    /** GELF chunks of a datagram bigger than one: at most 128 of them, each with the message's id. */
    static byte[][] chunks(byte[] packet) throws IOException {
        int data = CHUNK_SIZE - CHUNK_HEADER;
        int n = (packet.length + data - 1) / data;
        if (n > MAX_CHUNKS) {
            throw new IllegalArgumentException("gelf message too large: " + packet.length + " bytes would need " + n + " chunks");
        }
        byte[] id = new byte[8];
        ThreadLocalRandom.current().nextBytes(id);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            int off = i * data;
            int len = Math.min(data, packet.length - off);
            byte[] c = new byte[CHUNK_HEADER + len];
            c[0] = 0x1e;
            c[1] = 0x0f;
            System.arraycopy(id, 0, c, 2, 8);
            c[10] = (byte) i;
            c[11] = (byte) n;
            System.arraycopy(packet, off, c, CHUNK_HEADER, len);
            out[i] = c;
        }
        return out;
    }

}
