package dev.skiff.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's k8s-file log (conmon's "TIMESTAMP STREAM F|P CONTENT\n" records) into a
 * {@link StreamWriter}: tail, since/until, timestamps, follow across conmon's rotations.
 *
 * <p>Built for throughput: 1 MiB reads into one byte array, records parsed in place, content copied straight
 * into the writer's buffer; no String, regex or object per line. 'P' records (conmon read part of a line) are
 * held until their line's 'F' record, whose content carries the line's own newline, and go out with it as one line
 * stamped with its first part's time, as dockerd's log copier keeps a partial line until it ends: a line still being
 * written does not split another stream's line in two. Past {@value #HOLD_MAX} bytes (dockerd's buffer) a partial
 * line goes out as it is; one never ended (the container exited mid-line) goes out at the end of the read.
 */
public final class LogReader {
    /** Reads stay within the L2 cache, so the parse finds the bytes the kernel just copied still there. */
    private static final int READ_SIZE = 64 << 10;
    private static final long READ_AHEAD_MIN = 4 << 20;
    private static final long IDLE_MIN_MS = 20, IDLE_MAX_MS = 250;
    static final int HOLD_MAX = 16 << 10;

    /**
     * @param since epoch nanos, inclusive; Long.MIN_VALUE for none
     * @param until epoch nanos, inclusive; Long.MAX_VALUE for none
     * @param tail  the number of last lines, or -1 for all
     * @param details what goes before each line after its timestamp (docker logs --details), or null
     */
    public record Options(boolean stdout, boolean stderr, long since, long until, int tail, boolean timestamps,
                          boolean follow, byte[] details) {
        public Options(boolean stdout, boolean stderr, long since, long until, int tail, boolean timestamps,
                       boolean follow) {
            this(stdout, stderr, since, until, tail, timestamps, follow, null);
        }

        public static Options all() {
            return new Options(true, true, Long.MIN_VALUE, Long.MAX_VALUE, -1, false, false);
        }

        boolean needsTime() {
            return timestamps || since != Long.MIN_VALUE || until != Long.MAX_VALUE;
        }
    }

    private final Path log;
    private final Options opts;
    private byte[] buf = new byte[READ_SIZE + 64 * 1024];
    private final byte[] ts = new byte[LogTimestamps.UTC_LENGTH + 1];
    private final boolean[] midLine = new boolean[3];
    /** Per stream: the parts of a line read so far (its 'P' records), how many bytes, and the first part's time. */
    private final byte[][] held = new byte[3][];
    private final int[] heldLength = new int[3];
    private final long[] heldTime = new long[3];
    private long skipFull;
    private boolean pastUntil;

    public LogReader(Path log, Options opts) {
        this.log = log;
        this.opts = opts;
        ts[LogTimestamps.UTC_LENGTH] = ' ';
    }

    /**
     * Copies the log to {@code out}; with follow, waits for more until {@code running} turns false and the
     * file is drained, or {@code cancelled} turns true (the client went away).
     */
    public void copyTo(StreamWriter out, BooleanSupplier running, BooleanSupplier cancelled) throws IOException {
        List<Path> files = LogRotation.filesOldestFirst(log);
        int first = 0;
        long startOffset = 0;
        if (opts.tail() == 0 && !opts.follow()) {
            out.flush();
            return;
        }
        if (opts.tail() > 0) {
            long remaining = opts.tail();
            first = files.size() - 1;
            for (int i = files.size() - 1; i >= 0; i--) {
                first = i;
                long[] t = TailFinder.find(files.get(i), remaining);
                startOffset = t[0];
                skipFull = t[1];
                remaining -= t[2];
                if (remaining <= 0) {
                    break;
                }
            }
            if (remaining > 0) {
                startOffset = 0;
                skipFull = 0;
            }
        } else if (opts.tail() == 0) {
            first = files.size() - 1;
            startOffset = Files.exists(log) ? Files.size(log) : 0;
        }
        for (int i = first; i < files.size() - 1 && !pastUntil; i++) {
            try (FileChannel ch = FileChannel.open(files.get(i), StandardOpenOption.READ)) {
                carry = 0;
                drainFrom(ch, i == first ? startOffset : 0, out);
            } catch (NoSuchFileException e) {
                // rotated away while we read: its successor follows
            }
        }
        carry = 0;
        readCurrent(out, first == files.size() - 1 ? startOffset : 0, running, cancelled);
        for (int stream = 0; stream < held.length; stream++) {
            releaseHeld(stream, out); // a line the container never ended
        }
        out.flush();
    }

    /** Writes a stream's held parts (the start of a line, so with its prefix), and holds nothing more. */
    private void releaseHeld(int stream, StreamWriter out) throws IOException {
        int length = heldLength[stream];
        if (length == 0) {
            return;
        }
        heldLength[stream] = 0;
        emit(stream, heldTime[stream], held[stream], 0, length, false, out);
    }

    /** A 'P' record: held with its line's earlier parts; a line longer than dockerd's buffer goes out in parts. */
    private void partial(int stream, long time, byte[] b, int from, int length, StreamWriter out) throws IOException {
        hold(stream, time, b, from, length);
        if (heldLength[stream] > HOLD_MAX) {
            releaseHeld(stream, out);
        }
    }

    /** Adds a 'P' record's content to its stream's held line. */
    private void hold(int stream, long time, byte[] b, int from, int length) {
        int have = heldLength[stream];
        if (have == 0) {
            heldTime[stream] = time;
        }
        byte[] h = held[stream];
        if (h == null || h.length < have + length) {
            h = held[stream] = java.util.Arrays.copyOf(h == null ? new byte[0] : h,
                    Math.max(have + length, Math.min(2 * (have + length), HOLD_MAX + READ_SIZE)));
        }
        System.arraycopy(b, from, h, have, length);
        heldLength[stream] = have + length;
    }

    /** Writes content of {@code stream}; a line's first bytes get its timestamp and details first. */
    private void emit(int stream, long time, byte[] src, int off, int len, boolean endsLine, StreamWriter out)
            throws IOException {
        if (opts.timestamps() && !midLine[stream]) {
            LogTimestamps.writeUtc(time, ts, 0);
            out.write(stream, ts, 0, ts.length);
        }
        if (opts.details() != null && !midLine[stream]) {
            out.write(stream, opts.details(), 0, opts.details().length);
        }
        out.write(stream, src, off, len);
        midLine[stream] = !endsLine;
    }

    private void readCurrent(StreamWriter out, long offset, BooleanSupplier running, BooleanSupplier cancelled)
            throws IOException {
        FileChannel ch = null;
        Object key = null;
        long idle = IDLE_MIN_MS;
        try {
            while (!pastUntil) {
                if (ch == null) {
                    if (!Files.exists(log)) {
                        if (!opts.follow() || !running.getAsBoolean() || cancelled.getAsBoolean()) {
                            return;
                        }
                        sleep(out, idle);
                        continue;
                    }
                    ch = FileChannel.open(log, StandardOpenOption.READ);
                    key = fileKey(log);
                    long from = Math.min(offset, ch.size());
                    offset = 0;
                    drainFrom(ch, from, out);
                    if (pastUntil) {
                        return;
                    }
                }
                boolean progressed = drain(ch, out);
                if (!opts.follow() || pastUntil) {
                    return;
                }
                if (progressed) {
                    idle = IDLE_MIN_MS;
                    continue;
                }
                Object now = fileKey(log);
                if (now != null && !now.equals(key)) {
                    drain(ch, out); // conmon replaced the file: finish the old inode, then read the new from 0
                    ch.close();
                    ch = null;
                    carry = 0;
                    continue;
                }
                if (cancelled.getAsBoolean()) {
                    return;
                }
                if (!running.getAsBoolean()) {
                    // the last lines may land just after the exit is recorded: read until the file stays still
                    for (int quiet = 0; quiet < 2; ) {
                        sleep(out, IDLE_MIN_MS * 2);
                        quiet = drain(ch, out) ? 0 : quiet + 1;
                    }
                    return;
                }
                sleep(out, idle);
                idle = Math.min(idle * 2, IDLE_MAX_MS);
            }
        } finally {
            if (ch != null) {
                ch.close();
            }
        }
    }

    private static void sleep(StreamWriter out, long ms) throws IOException {
        out.flush();
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("log follow interrupted");
        }
    }

    private static Object fileKey(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Bytes of an incomplete record kept at the front of buf between reads. */
    private int carry;

    /**
     * Reads {@code ch} from {@code from} to the end it has now, leaving its position there. A big range is read on a
     * second thread ahead of the parse ({@link ReadAhead}); a small one directly.
     */
    private void drainFrom(FileChannel ch, long from, StreamWriter out) throws IOException {
        long to = ch.size();
        if (to - from < READ_AHEAD_MIN) {
            ch.position(from);
            drain(ch, out);
            return;
        }
        try (ReadAhead ahead = ReadAhead.start(ch, from, to)) {
            ReadAhead.Chunk c;
            while (!pastUntil && (c = ahead.next()) != null) {
                byte[] b = c.bytes();
                int start = ReadAhead.HEADROOM;
                int lim = start + c.length();
                from += c.length();
                if (carry > ReadAhead.HEADROOM) {
                    // a record longer than the headroom: gather it in buf, as the direct reads do
                    if (carry + c.length() > buf.length) {
                        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, carry + c.length()));
                    }
                    System.arraycopy(b, start, buf, carry, c.length());
                    ahead.recycle(c);
                    parseBuf(carry + c.length(), out);
                    continue;
                }
                start -= carry;
                System.arraycopy(buf, 0, b, start, carry);
                int consumed = parse(b, start, lim, out);
                carry = lim - consumed;
                if (carry > buf.length) {
                    buf = new byte[carry * 2];
                }
                System.arraycopy(b, consumed, buf, 0, carry);
                ahead.recycle(c);
            }
        }
        ch.position(from);
    }

    /** Reads {@code ch} to its current end; returns whether any bytes came. */
    private boolean drain(FileChannel ch, StreamWriter out) throws IOException {
        boolean any = false;
        while (!pastUntil) {
            if (carry == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2); // one record larger than the buffer
            }
            int n = ch.read(ByteBuffer.wrap(buf, carry, Math.min(READ_SIZE, buf.length - carry)));
            if (n <= 0) {
                return any;
            }
            any = true;
            parseBuf(carry + n, out);
        }
        return any;
    }

    /** Parses buf[0, lim) and moves the incomplete record it ends with (the new carry) to its front. */
    private void parseBuf(int lim, StreamWriter out) throws IOException {
        int consumed = parse(buf, 0, lim, out);
        carry = lim - consumed;
        if (carry > 0) {
            System.arraycopy(buf, consumed, buf, 0, carry);
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL, ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

    /** The first '\n' in b[from, lim), or lim: eight bytes per step (the classic "has zero byte" bit trick). */
    static int indexOfNewline(byte[] b, int from, int lim) {
        int i = from;
        for (; i + 8 <= lim; i += 8) {
            long v = (long) LONGS.get(b, i) ^ NEWLINES;
            long t = (v - ONES) & ~v & HIGHS;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < lim; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return lim;
    }

    /** Parses whole records in b[from, lim); returns where the first incomplete one starts. */
    private int parse(byte[] b, int from, int lim, StreamWriter out) throws IOException {
        final boolean wantOut = opts.stdout(), wantErr = opts.stderr(), needsTime = opts.needsTime();
        int p = from;
        while (p < lim) {
            int sp1;
            int flagAt;
            if (p + 45 <= lim && b[p + 35] == ' ' && b[p + 10] == 'T' && b[p + 42] == ' ' && b[p + 44] == ' ') {
                // conmon's stamp is always 35 bytes ("2026-11-23T15:22:02.893256182+00:00"): no need to scan it
                sp1 = p + 35;
                flagAt = p + 43;
            } else {
                sp1 = p;
                while (sp1 < lim && b[sp1] != ' ' && b[sp1] != '\n') {
                    sp1++;
                }
                if (sp1 < lim && b[sp1] == '\n') {
                    p = sp1 + 1; // a line with no fields: skip it
                    continue;
                }
                // stream name: "stdout" or "stderr" (6 bytes), a space, the flag, a space, the content
                flagAt = sp1 + 8;
                if (flagAt >= lim) {
                    return p;
                }
                int bad = sp1 + 1;
                while (bad <= flagAt && b[bad] != '\n') {
                    bad++;
                }
                if (bad <= flagAt) {
                    p = bad + 1; // not a k8s-file record
                    continue;
                }
            }
            int nl = indexOfNewline(b, flagAt + 1, lim);
            if (nl >= lim) {
                return p;
            }
            if (b[sp1 + 7] != ' ') {
                p = nl + 1; // not a k8s-file record
                continue;
            }
            int stream = b[sp1 + 4] == 'e' ? StreamWriter.STDERR : StreamWriter.STDOUT;
            boolean full = b[flagAt] != 'P';
            int contentStart = Math.min(flagAt + 2, nl);
            if (skipFull > 0) {
                if (full) {
                    skipFull--;
                }
                p = nl + 1;
                continue;
            }
            long time = 0;
            if (needsTime) {
                time = LogTimestamps.parse(b, p, sp1);
                if (time < opts.since()) {
                    p = nl + 1;
                    continue;
                }
                if (time > opts.until()) {
                    pastUntil = true;
                    return nl + 1;
                }
            }
            if (stream == StreamWriter.STDOUT ? wantOut : wantErr) {
                if (!full) {
                    partial(stream, time, b, contentStart, nl - contentStart, out);
                } else {
                    if (heldLength[stream] > 0) {
                        releaseHeld(stream, out);
                    }
                    // written here rather than through emit(): this runs once per line (ten million for 200 MiB of
                    // short lines), and a call the JIT does not inline into this large method shows (~7 %)
                    if (opts.timestamps() && !midLine[stream]) {
                        LogTimestamps.writeUtc(time, ts, 0);
                        out.write(stream, ts, 0, ts.length);
                    }
                    if (opts.details() != null && !midLine[stream]) {
                        out.write(stream, opts.details(), 0, opts.details().length);
                    }
                    // a full line's newline follows its content in the record: one copy for both
                    out.write(stream, b, contentStart, nl + 1 - contentStart);
                    midLine[stream] = false;
                }
            }
            p = nl + 1;
        }
        return p;
    }
}
