package dev.skiff.image;

import dev.skiff.sys.SyscallException;
import dev.skiff.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Binary extended attributes in tar streams. Docker (Go's archive/tar) stores an xattr as a PAX record
 * {@code SCHILY.xattr.NAME=VALUE} whose value is raw bytes: {@code security.capability} is a packed struct, not
 * text. commons-compress reads and writes PAX values as UTF-8 strings, which would mangle such a value. So
 * Skiff rewrites the PAX headers on the way in and out, outside commons-compress:
 * <ul>
 *   <li>reading: a {@code SCHILY.xattr} record whose value is not UTF-8 becomes {@code LIBARCHIVE.xattr.NAME=BASE64}
 *       (libarchive's form for the same thing), which survives commons-compress intact;</li>
 *   <li>writing: Skiff writes binary values as {@code LIBARCHIVE.xattr} and they leave as raw
 *       {@code SCHILY.xattr} records, the form Docker and containerd read.</li>
 * </ul>
 * Only PAX extended headers ('x') are touched; every other byte passes through unchanged, so a stream without
 * binary xattrs comes out byte for byte the same (digests of layers Skiff writes do not change).
 */
public final class PaxXattrs {
    static final String SCHILY = "SCHILY.xattr.";
    static final String LIBARCHIVE = "LIBARCHIVE.xattr.";
    /** A PAX header larger than this is passed through untouched (commons-compress will judge it). */
    private static final int MAX_PAX = 1 << 20;

    private PaxXattrs() {
    }

    /** A tar stream as commons-compress can read it without losing binary xattr values. */
    public static InputStream reading(InputStream tar) {
        return new RewritingInputStream(tar, PaxXattrs::binaryToBase64);
    }

    /** Where commons-compress writes a tar whose binary xattrs (written as LIBARCHIVE.xattr) leave as SCHILY.xattr. */
    static OutputStream writing(OutputStream tar) {
        return new BlockRewriter(tar, PaxXattrs::base64ToBinary);
    }

    /**
     * Sets on {@code target} the xattrs an entry read through {@link #reading} carries. Call it after chown, which
     * clears security.capability. As Docker's archive code does, an attribute the filesystem or the kernel refuses
     * (EOPNOTSUPP, EPERM: security.selinux from an SELinux host, say) is left out rather than failing the copy;
     * overlay's own attributes are never taken from an archive (whiteouts have entries of their own).
     */
    public static void apply(TarArchiveEntry entry, Path target) throws IOException {
        for (Map.Entry<String, String> h : entry.getExtraPaxHeaders().entrySet()) {
            String key = h.getKey();
            String name;
            byte[] value;
            if (key.startsWith(SCHILY)) {
                if (h.getValue().indexOf('\uFFFD') >= 0) {
                    // a binary value the rewrite could not rescue (a PAX header over its bound): commons-compress
                    // decoded it as UTF-8 and lost bytes; writing the damaged value would be worse than leaving it out
                    continue;
                }
                name = key.substring(SCHILY.length());
                value = h.getValue().getBytes(StandardCharsets.UTF_8);
            } else if (key.startsWith(LIBARCHIVE)) {
                name = key.substring(LIBARCHIVE.length());
                value = Base64.getDecoder().decode(h.getValue());
            } else {
                continue;
            }
            if (name.startsWith("trusted.overlay.")) {
                continue;
            }
            try {
                Syscalls.lsetxattr(target, name, value);
            } catch (SyscallException e) {
                if (e.errno() != Syscalls.EOPNOTSUPP && e.errno() != Syscalls.EPERM) {
                    throw e;
                }
            }
        }
    }

    /** Whether {@code value} is valid UTF-8, i.e. commons-compress can carry it as a string. */
    static boolean isUtf8(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static byte[] binaryToBase64(byte[] pax) {
        return rewrite(pax, (key, value) -> key.startsWith(SCHILY) && !isUtf8(value)
                ? new Record(LIBARCHIVE + key.substring(SCHILY.length()),
                        Base64.getEncoder().encode(value)) : null);
    }

    static byte[] base64ToBinary(byte[] pax) {
        return rewrite(pax, (key, value) -> {
            if (!key.startsWith(LIBARCHIVE)) {
                return null;
            }
            try {
                return new Record(SCHILY + key.substring(LIBARCHIVE.length()), Base64.getDecoder().decode(value));
            } catch (IllegalArgumentException e) {
                return null; // not ours: leave it as it is
            }
        });
    }

    record Record(String key, byte[] value) {
    }

    interface RecordRewrite {
        /** The replacement for a record, or null to keep it. */
        Record apply(String key, byte[] value);
    }

    /**
     * Applies {@code rule} to each "LEN KEY=VALUE\n" record; returns {@code pax} itself when nothing changed or
     * the data is not well-formed PAX (then it is left for the tar reader to refuse).
     */
    static byte[] rewrite(byte[] pax, RecordRewrite rule) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pax.length + 64);
        boolean changed = false;
        int pos = 0;
        while (pos < pax.length) {
            if (pax[pos] == 0) {
                break; // NUL padding after the last record
            }
            int space = indexOf(pax, (byte) ' ', pos, Math.min(pax.length, pos + 20));
            if (space < 0) {
                return pax;
            }
            int len;
            try {
                len = Integer.parseInt(new String(pax, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return pax;
            }
            int end = pos + len;
            if (len <= space - pos + 1 || end > pax.length || pax[end - 1] != '\n') {
                return pax;
            }
            int eq = indexOf(pax, (byte) '=', space + 1, end - 1);
            if (eq < 0) {
                return pax;
            }
            String key = new String(pax, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(pax, eq + 1, end - 1);
            Record r = rule.apply(key, value);
            if (r == null) {
                out.write(pax, pos, len);
            } else {
                changed = true;
                out.writeBytes(record(r.key(), r.value()));
            }
            pos = end;
        }
        return changed ? out.toByteArray() : pax;
    }

    /** One PAX record; its length field counts its own digits. */
    static byte[] record(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int body = 1 + k.length + 1 + value.length + 1; // ' ' key '=' value '\n'
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len = body + Integer.toString(len).length();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        out.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(k);
        out.write('=');
        out.writeBytes(value);
        out.write('\n');
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Follows a tar stream block by block, pushing everything to {@code out} unchanged except PAX extended
     * headers, which it collects whole and hands to the rewrite (fixing the size and checksum when it changes
     * them). Entry data passes straight through; after the end-of-archive blocks, everything does.
     */
    static final class BlockRewriter extends OutputStream {
        private static final int BLOCK = 512;
        private final OutputStream out;
        private final UnaryOperator<byte[]> rewrite;
        private final byte[] header = new byte[BLOCK];
        private int headerFill;
        private long dataLeft;
        private ByteArrayOutputStream pax;
        private byte[] paxHeader;
        private long paxSize;
        private long nextSize = -1;
        private int zeroBlocks;
        private boolean ended;

        BlockRewriter(OutputStream out, UnaryOperator<byte[]> rewrite) {
            this.out = out;
            this.rewrite = rewrite;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (ended) {
                    out.write(b, off, len);
                    return;
                }
                if (dataLeft > 0) {
                    int n = (int) Math.min(dataLeft, len);
                    if (pax != null) {
                        pax.write(b, off, n);
                    } else {
                        out.write(b, off, n);
                    }
                    dataLeft -= n;
                    off += n;
                    len -= n;
                    if (dataLeft == 0 && pax != null) {
                        finishPax();
                    }
                    continue;
                }
                int n = Math.min(BLOCK - headerFill, len);
                System.arraycopy(b, off, header, headerFill, n);
                headerFill += n;
                off += n;
                len -= n;
                if (headerFill == BLOCK) {
                    headerFill = 0;
                    header();
                }
            }
        }

        private void header() throws IOException {
            if (isZero(header)) {
                out.write(header);
                ended = ++zeroBlocks >= 2;
                return;
            }
            zeroBlocks = 0;
            byte type = header[156];
            long size = size(header);
            if (size < 0) {
                ended = true; // not a tar header we understand: pass the rest through for the reader to judge
                out.write(header);
                return;
            }
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if (type == 'x' && size <= MAX_PAX) {
                paxHeader = header.clone();
                paxSize = size;
                pax = new ByteArrayOutputStream((int) padded);
                dataLeft = padded;
                if (padded == 0) {
                    finishPax();
                }
                return;
            }
            out.write(header);
            if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
                dataLeft = padded;
                return;
            }
            long real = nextSize >= 0 ? nextSize : size;
            nextSize = -1;
            // Go's archive/tar: links, devices, directories and FIFOs carry no data whatever their size says
            boolean headerOnly = type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6';
            dataLeft = headerOnly ? 0 : (real + BLOCK - 1) / BLOCK * BLOCK;
        }

        private void finishPax() throws IOException {
            byte[] all = pax.toByteArray();
            pax = null;
            byte[] records = Arrays.copyOf(all, (int) paxSize);
            byte[] changed = rewrite.apply(records);
            nextSize = sizeRecord(changed);
            if (changed == records) {
                out.write(paxHeader);
                out.write(all);
                return;
            }
            setSize(paxHeader, changed.length);
            out.write(paxHeader);
            out.write(changed);
            int pad = (BLOCK - changed.length % BLOCK) % BLOCK;
            out.write(new byte[pad]);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        /** The "size" record of a PAX header, which overrides the next entry's size field; -1 when absent. */
        private static long sizeRecord(byte[] records) {
            long[] found = {-1};
            rewrite(records, (key, value) -> {
                if (key.equals("size")) {
                    try {
                        found[0] = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
                    } catch (NumberFormatException e) {
                        found[0] = -1;
                    }
                }
                return null;
            });
            return found[0];
        }

        private static boolean isZero(byte[] block) {
            for (byte x : block) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }

        /** The size field: octal text, or base-256 when the top bit of its first byte is set; -1 if unreadable. */
        static long size(byte[] h) {
            if ((h[124] & 0x80) != 0) {
                long v = 0;
                for (int i = 125; i < 136; i++) {
                    v = (v << 8) | (h[i] & 0xff);
                }
                return v < 0 ? -1 : v;
            }
            long v = 0;
            boolean digits = false;
            for (int i = 124; i < 136; i++) {
                byte c = h[i];
                if (c == 0 || (c == ' ' && digits)) {
                    break;
                }
                if (c == ' ') {
                    continue;
                }
                if (c < '0' || c > '7') {
                    return -1;
                }
                v = v * 8 + (c - '0');
                digits = true;
            }
            return v;
        }

        /** Writes an octal size (a PAX header is far below 8 GiB) and the header's new checksum. */
        static void setSize(byte[] h, long size) {
            byte[] octal = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(octal, 0, h, 124, 11);
            h[135] = 0;
            Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte x : h) {
                sum += x & 0xff;
            }
            byte[] chk = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(chk, 0, h, 148, 6);
            h[154] = 0;
            h[155] = ' ';
        }
    }

    /** Pulls the stream through a {@link BlockRewriter} chunk by chunk. */
    private static final class RewritingInputStream extends InputStream {
        private final InputStream in;
        private final Queue queue = new Queue();
        private final BlockRewriter rewriter;
        private final byte[] chunk = new byte[64 * 1024];
        private boolean eof;

        RewritingInputStream(InputStream in, UnaryOperator<byte[]> rewrite) {
            this.in = in;
            this.rewriter = new BlockRewriter(queue, rewrite);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (queue.available() == 0) {
                if (eof) {
                    return -1;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    eof = true;
                    queue.flushPartial(rewriter);
                } else {
                    rewriter.write(chunk, 0, n);
                }
            }
            return queue.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The bytes a rewriter produced and the reader has not taken yet. */
    private static final class Queue extends OutputStream {
        private byte[] buf = new byte[128 * 1024];
        private int start;
        private int end;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (end + len > buf.length) {
                int live = end - start;
                byte[] target = live + len > buf.length ? new byte[Math.max(buf.length * 2, live + len)] : buf;
                System.arraycopy(buf, start, target, 0, live);
                buf = target;
                start = 0;
                end = live;
            }
            System.arraycopy(b, off, buf, end, len);
            end += len;
        }

        int available() {
            return end - start;
        }

        int read(byte[] b, int off, int len) {
            int n = Math.min(len, end - start);
            System.arraycopy(buf, start, b, off, n);
            start += n;
            if (start == end) {
                start = 0;
                end = 0;
            }
            return n;
        }

        /** A stream that ends mid-header: hand over what there is, for the tar reader to call truncated. */
        void flushPartial(BlockRewriter r) {
            if (r.headerFill > 0) {
                write(r.header, 0, r.headerFill);
                r.headerFill = 0;
            }
            if (r.pax != null) {
                write(r.paxHeader, 0, r.paxHeader.length);
                byte[] partial = r.pax.toByteArray();
                write(partial, 0, partial.length);
                r.pax = null;
            }
        }
    }
}
