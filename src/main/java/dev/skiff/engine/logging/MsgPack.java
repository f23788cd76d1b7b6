package dev.skiff.engine.logging;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The little of MessagePack that fluentd's forward protocol needs: strings, maps, arrays, integers, EventTime. */
final class MsgPack {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

    void reset() {
        out.reset();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    MsgPack array(int n) {
        if (n < 16) {
            out.write(0x90 | n);
        } else {
            out.write(0xdc);
            u16(n);
        }
        return this;
    }

    MsgPack map(int n) {
        if (n < 16) {
            out.write(0x80 | n);
        } else if (n < 65536) {
            out.write(0xde);
            u16(n);
        } else {
            out.write(0xdf);
            u32(n);
        }
        return this;
    }

    MsgPack str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    MsgPack str(byte[] b) {
        int n = b.length;
        if (n < 32) {
            out.write(0xa0 | n);
        } else if (n < 256) {
            out.write(0xd9);
            out.write(n);
        } else if (n < 65536) {
            out.write(0xda);
            u16(n);
        } else {
            out.write(0xdb);
            u32(n);
        }
        out.writeBytes(b);
        return this;
    }

    /** A non-negative integer, at most 2^32 - 1 (a time in seconds). */
    MsgPack uint(long v) {
        if (v < 128) {
            out.write((int) v);
        } else {
            out.write(0xce);
            u32(v);
        }
        return this;
    }

    /** fluentd's EventTime: ext type 0, seconds and nanoseconds as two big-endian 32-bit numbers. */
    MsgPack eventTime(long epochNanos) {
        out.write(0xd7);
        out.write(0);
        u32(Math.floorDiv(epochNanos, 1_000_000_000L));
        u32(Math.floorMod(epochNanos, 1_000_000_000L));
        return this;
    }

    private void u16(int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private void u32(long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    /** Reads one string (fixstr, str8, str16, str32) or fails. */
    static String readStr(DataInputStream in) throws IOException {
        int t = in.readUnsignedByte();
        int n;
        if ((t & 0xe0) == 0xa0) {
            n = t & 0x1f;
        } else if (t == 0xd9) {
            n = in.readUnsignedByte();
        } else if (t == 0xda) {
            n = in.readUnsignedShort();
        } else if (t == 0xdb) {
            n = in.readInt();
        } else {
            throw new IOException("expected a msgpack string, got type 0x" + Integer.toHexString(t));
        }
        if (n < 0 || n > 1 << 20) {
            throw new IOException("msgpack string of " + n + " bytes");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /** Reads a fixmap's header: the number of entries. */
    static int readMapHeader(InputStream in) throws IOException {
        int t = in.read();
        if (t < 0) {
            throw new java.io.EOFException("the connection closed before fluentd's ack");
        }
        if ((t & 0xf0) != 0x80) {
            throw new IOException("expected a msgpack map, got type 0x" + Integer.toHexString(t));
        }
        return t & 0x0f;
    }
}
