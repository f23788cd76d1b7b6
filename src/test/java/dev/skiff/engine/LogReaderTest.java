package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
    @TempDir
    Path tmp;

    static final String T1 = "2026-11-23T15:22:01.000000001+00:00";
    static final String T2 = "2026-11-23T16:22:02.000000002+01:00"; // = 15:22:02 UTC
    static final String T3 = "2026-11-23T15:22:03.5+00:00";

    private Path sample() throws IOException {
        Path log = tmp.resolve("container.log");
        Files.writeString(log, T1 + " stdout F one\n"
                + T1 + " stderr P par\n"
                + T2 + " stderr F tial\n"
                + T2 + " stdout F two\n"
                + T3 + " stdout F three\n");
        return log;
    }

    private static String read(Path log, LogReader.Options o, boolean framed) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamWriter w = new StreamWriter(bytes, framed, 4096);
        new LogReader(log, o).copyTo(w, () -> false, () -> false);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static LogReader.Options opts(int tail, long since, long until, boolean ts) {
        return new LogReader.Options(true, true, since, until, tail, ts, false);
    }

    @Test
    void details_goBeforeEachLineAfterItsTimestamp_andNotInsideAJoinedLine() throws IOException {
        byte[] attrs = "A=1,x=y ".getBytes(StandardCharsets.UTF_8);
        assertThat(read(sample(), new LogReader.Options(true, true, Long.MIN_VALUE, Long.MAX_VALUE, -1, false, false,
                attrs), false)).isEqualTo("A=1,x=y one\nA=1,x=y partial\nA=1,x=y two\nA=1,x=y three\n");
        String stamped = read(sample(), new LogReader.Options(true, true, Long.MIN_VALUE, Long.MAX_VALUE, 1, true, false,
                attrs), false);
        assertThat(stamped).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z A=1,x=y three\n");
    }

    /** As dockerd's copier: a line still being written waits for its end, so another stream's line is not split. */
    @Test
    void aPartialLine_waitsForItsEnd_stampedWithItsFirstPartsTime_andAnUnendedOneComesLast() throws IOException {
        Path log = tmp.resolve("interleaved.log");
        Files.writeString(log, T1 + " stdout P no new\n"
                + T2 + " stderr F two\n"
                + T3 + " stdout F line\n"
                + T3 + " stdout P never ended\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LogReader(log, LogReader.Options.all()).copyTo(new StreamWriter(bytes, true, 4096), () -> false, () -> false);
        assertThat(decode(bytes.toByteArray())).containsExactly("2:two\n", "1:no newline\nnever ended");
        assertThat(read(log, opts(-1, Long.MIN_VALUE, Long.MAX_VALUE, true), false)).isEqualTo(
                "2026-11-23T15:22:02.000000002Z two\n2026-11-23T15:22:01.000000001Z no newline\n"
                        + "2026-11-23T15:22:03.500000000Z never ended");

        Path longLine = tmp.resolve("long.log");
        String part = "x".repeat(8192);
        Files.writeString(longLine, (T1 + " stdout P " + part + "\n").repeat(3) + T1 + " stdout F end\n");
        assertThat(read(longLine, LogReader.Options.all(), false)).isEqualTo(part.repeat(3) + "end\n");
    }

    @Test
    void raw_joinsPartials() throws IOException {
        assertThat(read(sample(), LogReader.Options.all(), false)).isEqualTo("one\npartial\ntwo\nthree\n");
    }

    @Test
    void framed_coalescesPerStream() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamWriter w = new StreamWriter(bytes, true, 4096);
        new LogReader(sample(), LogReader.Options.all()).copyTo(w, () -> false, () -> false);
        List<String> frames = decode(bytes.toByteArray());
        assertThat(frames).containsExactly("1:one\n", "2:partial\n", "1:two\nthree\n");
    }

    @Test
    void tail_countsWholeLines() throws IOException {
        Path log = sample();
        assertThat(read(log, opts(1, Long.MIN_VALUE, Long.MAX_VALUE, false), false)).isEqualTo("three\n");
        assertThat(read(log, opts(3, Long.MIN_VALUE, Long.MAX_VALUE, false), false)).isEqualTo("partial\ntwo\nthree\n");
        assertThat(read(log, opts(100, Long.MIN_VALUE, Long.MAX_VALUE, false), false)).isEqualTo("one\npartial\ntwo\nthree\n");
        assertThat(read(log, opts(0, Long.MIN_VALUE, Long.MAX_VALUE, false), false)).isEmpty();
    }

    @Test
    void sinceUntil_useTheOffset() throws IOException {
        long t2 = nanos(Instant.parse("2026-11-23T15:22:02.000000002Z"));
        assertThat(read(sample(), opts(-1, t2, Long.MAX_VALUE, false), false)).isEqualTo("tial\ntwo\nthree\n");
        assertThat(read(sample(), opts(-1, Long.MIN_VALUE, t2, false), false)).isEqualTo("one\npartial\ntwo\n");
    }

    @Test
    void timestamps_areUtcRfc3339Nano() throws IOException {
        String out = read(sample(), opts(2, Long.MIN_VALUE, Long.MAX_VALUE, true), false);
        assertThat(out).isEqualTo("2026-11-23T15:22:02.000000002Z two\n2026-11-23T15:22:03.500000000Z three\n");
    }

    @Test
    void rotatedFiles_areReadInOrder() throws IOException {
        Path log = tmp.resolve("c.log");
        Files.writeString(tmp.resolve("c.log.2"), T1 + " stdout F a\n");
        Files.writeString(tmp.resolve("c.log.1"), T1 + " stdout F b\n");
        Files.writeString(log, T1 + " stdout F c\n");
        assertThat(read(log, LogReader.Options.all(), false)).isEqualTo("a\nb\nc\n");
        assertThat(read(log, opts(2, Long.MIN_VALUE, Long.MAX_VALUE, false), false)).isEqualTo("b\nc\n");
    }

    @Test
    void rotation_keepsReplacedFiles() throws IOException {
        Path log = tmp.resolve("r.log");
        LogRotation rot = new LogRotation(log, 3);
        for (String content : new String[] {"1", "2", "3", "4"}) {
            // conmon's reopen_k8s_file: write LOG.tmp, rename over LOG
            Path t = tmp.resolve("r.log.tmp");
            Files.writeString(t, T1 + " stdout F " + content + "\n");
            Files.move(t, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            rot.sync();
        }
        assertThat(read(log, LogReader.Options.all(), false)).isEqualTo("2\n3\n4\n");
    }

    @Test
    void follow_stopsWhenTheContainerExits() throws Exception {
        Path log = tmp.resolve("f.log");
        Files.writeString(log, T1 + " stdout F first\n");
        AtomicBoolean running = new AtomicBoolean(true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                new LogReader(log, new LogReader.Options(true, true, Long.MIN_VALUE, Long.MAX_VALUE, -1, false, true))
                        .copyTo(new StreamWriter(bytes, false, 4096), running::get, () -> false);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        Files.writeString(log, T1 + " stdout F sec", java.nio.file.StandardOpenOption.APPEND);
        Thread.sleep(100);
        Files.writeString(log, "ond\n" + T1 + " stdout F third\n", java.nio.file.StandardOpenOption.APPEND);
        running.set(false);
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
        assertThat(bytes.toString()).isEqualTo("first\nsecond\nthird\n");
    }

    /**
     * A log past the read-ahead threshold: records of every length cross chunk boundaries, one is longer than
     * the chunk headroom, partial records join, both streams interleave; the output equals the direct read's.
     */
    @Test
    void bigLog_readAheadGivesTheSameBytes() throws IOException {
        Path log = tmp.resolve("ahead.log");
        StringBuilder rawOut = new StringBuilder();
        StringBuilder expectOut = new StringBuilder();
        java.util.Random rnd = new java.util.Random(7);
        int lines = 0;
        try (var w = Files.newBufferedWriter(log, StandardCharsets.US_ASCII)) {
            while (rawOut.length() < (6 << 20)) {
                int len = lines == 40_000 ? 200_000 : rnd.nextInt(300);
                String content = "x".repeat(len) + lines;
                boolean err = rnd.nextInt(5) == 0;
                boolean split = rnd.nextInt(7) == 0 && content.length() > 2;
                String stream = err ? "stderr" : "stdout";
                if (split) {
                    int cut = content.length() / 2;
                    w.write(T1 + " " + stream + " P " + content.substring(0, cut) + "\n");
                    w.write(T1 + " " + stream + " F " + content.substring(cut) + "\n");
                } else {
                    w.write(T1 + " " + stream + " F " + content + "\n");
                }
                rawOut.append(content).append('\n');
                if (!err) {
                    expectOut.append(content).append('\n');
                }
                lines++;
            }
        }
        assertThat(Files.size(log)).isGreaterThan(8L << 20); // past READ_AHEAD_MIN, many chunks
        assertThat(read(log, LogReader.Options.all(), false)).isEqualTo(rawOut.toString());
        LogReader.Options stdoutOnly = new LogReader.Options(true, false, Long.MIN_VALUE, Long.MAX_VALUE, -1, false, false);
        assertThat(read(log, stdoutOnly, false)).isEqualTo(expectOut.toString());
        String tail = read(log, opts(2, Long.MIN_VALUE, Long.MAX_VALUE, false), false);
        assertThat(rawOut.toString()).endsWith(tail);
        assertThat(tail.lines().count()).isEqualTo(2);
        // until before every record: the reader stops at the first and the read-ahead thread with it
        assertThat(read(log, opts(-1, Long.MIN_VALUE, 1, false), false)).isEmpty();
    }

    @Test
    void throughput_of50MiBOfShortLines() throws IOException {
        Path log = tmp.resolve("big.log");
        byte[] record = (T1 + " stdout F 01234567890123456789\n").getBytes(StandardCharsets.US_ASCII);
        long target = 50L << 20;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(log), 1 << 20)) {
            for (long n = 0; n < target; n += record.length) {
                out.write(record);
            }
        }
        long fileSize = Files.size(log);
        long lines = fileSize / record.length;
        long[] counted = new long[1];
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                counted[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                counted[0] += len;
            }
        };
        for (int round = 0; round < 6; round++) {
            counted[0] = 0;
            long t0 = System.nanoTime();
            StreamWriter w = new StreamWriter(sink, true);
            new LogReader(log, LogReader.Options.all()).copyTo(w, () -> false, () -> false);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("logs: %d lines, %.1f MiB file, %.1f MiB out in %.3fs = %.0f MB/s out, %.0f MB/s file%n",
                    lines, fileSize / 1048576.0, counted[0] / 1048576.0, secs, counted[0] / secs / 1e6, fileSize / secs / 1e6);
        }
        long frames = (counted[0] - lines * 21) / 8;
        assertThat(counted[0]).isEqualTo(lines * 21 + frames * 8);
        assertThat(frames).isLessThan(lines / 1000);
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    static List<String> decode(byte[] data) {
        List<String> out = new ArrayList<>();
        int p = 0;
        while (p < data.length) {
            int len = ((data[p + 4] & 0xff) << 24) | ((data[p + 5] & 0xff) << 16) | ((data[p + 6] & 0xff) << 8) | (data[p + 7] & 0xff);
            out.add(data[p] + ":" + new String(data, p + 8, len, StandardCharsets.UTF_8));
            p += 8 + len;
        }
        return out;
    }
}
