package dev.skiff.engine;

import dev.skiff.engine.logging.LogMessage;
import dev.skiff.engine.logging.LogSink;
import dev.skiff.sys.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships one container's log to its driver's destination by following the local log conmon writes (the k8s-file
 * records {@link LogReader} reads), so the container never waits on the destination and nothing is lost while the
 * destination is down or the daemon restarts: what has been delivered is recorded as the file's inode and offset
 * in {@code .LOG.shipped} (atomically, about once a second and when the shipper stops), and a new shipper goes on from
 * there, in the rotated file that inode now is if conmon rotated meanwhile. Delivery is at least once: lines sent
 * after the last record may be sent again after a daemon crash.
 *
 * <p>A line split by conmon ('P' records) is joined again; one longer than {@value #MAX_LINE} bytes goes out in
 * pieces marked partial, as dockerd's log copier cuts them. A destination that fails is tried again, every second
 * at first and every 30 s at most, with one warning per outage; the lines wait in the local log, so a destination
 * down for longer than the log's rotation keeps (cache-max-size times cache-max-file) loses the oldest of them.
 */
final class LogShipper {
    private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);
    static final int MAX_LINE = 16 << 10;
    /** How long an idle shipper waits before it looks again: 50 ms after a line, growing to 500 ms. */
    private static final long IDLE_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50), IDLE_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long RECORD_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** conmon's records are at most its 8 KiB buffer and a header: a read holds several. */
    private static final int READ_SIZE = 64 << 10;

    interface SinkOpener {
        LogSink open() throws IOException;
    }

    private final String name;
    private final Path log;
    private final Path state;
    private final SinkOpener opener;
    private volatile LogSink sink;
    private volatile boolean finishing;
    /** Between a failed delivery and the next that works. */
    private volatile boolean failing;
    private volatile boolean stopped;
    private final CountDownLatch done = new CountDownLatch(1);
    private Thread thread;

    // the file being read, where its next record starts, and the offset up to which every line has gone out
    private FileChannel channel;
    private long inode;
    private long position;
    private long committed;
    private long recordedAt;
    private long recordedInode = -1, recordedOffset = -1;
    private long idleNanos = IDLE_MIN_NANOS;
    private final byte[][] partial = new byte[2][];
    private final int[] partialLength = new int[2];
    private final long[] partialTime = new long[2];
    private final long[] partialStart = {-1, -1};

    /**
     * @param sink   already open (a start that checked the destination), or null to open with {@code opener}
     * @param finish drain what is there and stop (a container that is not running)
     */
    LogShipper(String name, Path log, LogSink sink, SinkOpener opener, boolean finish) {
        this.name = name;
        this.log = log;
        this.state = stateFile(log);
        this.sink = sink;
        this.opener = opener;
        this.finishing = finish;
    }

    static Path stateFile(Path log) {
        return log.resolveSibling("." + log.getFileName() + ".shipped");
    }

    LogShipper start() {
        thread = Thread.ofVirtual().name("log-ship-" + name).start(this::run);
        return this;
    }

    /** The container's process is gone: ship what is left, then stop. */
    void finish() {
        finishing = true;
        LockSupport.unpark(thread);
    }

    /** Stops now (daemon shutdown, a removal that could not wait), recording how far it got. */
    void stop() {
        signalStop();
        if (!awaitDone(Duration.ofSeconds(2))) {
            LogSink s = sink;
            if (s != null) {
                s.close(); // a send blocked on a destination that takes nothing: closing its connection ends it
            }
            awaitDone(Duration.ofSeconds(2));
        }
    }

    /** Asks the shipper to stop without waiting (many shippers stop at once). */
    void signalStop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** Whether its destination is failing now: a removal does not wait on it. */
    boolean failing() {
        return failing;
    }

    boolean awaitDone(Duration timeout) {
        try {
            return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether the log has lines the last shipper did not record as delivered. */
    static boolean hasUnshipped(Path log) {
        try {
            if (!Files.exists(log)) {
                return false;
            }
            long[] s = readState(stateFile(log));
            return s == null ? Files.size(log) > 0 : s[0] != inode(log) || s[1] < Files.size(log);
        } catch (IOException e) {
            return true;
        }
    }

    private void run() {
        try {
            resume();
            byte[] buf = new byte[READ_SIZE];
            int carry = 0;
            while (!stopped) {
                if (channel == null && !openCurrent()) {
                    if (finishing) {
                        break;
                    }
                    idle();
                    continue;
                }
                // looked at before the read: what the read then finds at the end of the file is all there will be
                boolean lastPass = finishing;
                boolean replaced = rotatedAway();
                int n = channel.read(ByteBuffer.wrap(buf, carry, buf.length - carry), position + carry);
                if (n > 0) {
                    int used = parse(buf, carry + n);
                    if (stopped) {
                        break;
                    }
                    position += used;
                    carry = carry + n - used;
                    System.arraycopy(buf, used, buf, 0, carry);
                    if (carry == buf.length) {
                        carry = 0; // a record longer than the buffer is not conmon's: skip what is there
                        position += buf.length;
                    }
                    recordNowAndThen(false);
                    idleNanos = IDLE_MIN_NANOS;
                    continue;
                }
                if (replaced) {
                    // conmon closed the file before it put the new one in place: it is complete, go on in the new one
                    flushPartials();
                    channel.close();
                    channel = null;
                    carry = 0;
                    continue;
                }
                if (lastPass) {
                    flushPartials();
                    break;
                }
                recordNowAndThen(false);
                idle();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("stopped shipping the log of {} to {}: {}", name, destination(), e.toString());
        } finally {
            recordNowAndThen(true);
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // read-only
            }
            if (sink != null) {
                sink.close();
            }
            done.countDown();
        }
    }

    private void idle() {
        LockSupport.parkNanos(idleNanos);
        idleNanos = Math.min(IDLE_MAX_NANOS, idleNanos * 2);
    }

    /** Where the last shipper got to: the same file, or the rotated file its inode now is, or the start of LOG. */
    private void resume() throws IOException {
        long[] s = readState(state);
        if (s == null) {
            return;
        }
        List<Path> files = LogRotation.filesOldestFirst(log);
        for (Path f : files) {
            try {
                if (inode(f) == s[0]) {
                    open(f);
                    position = Math.min(s[1], channel.size());
                    committed = position;
                    return;
                }
            } catch (NoSuchFileException e) {
                // rotated away as we looked
            }
        }
    }

    private boolean openCurrent() throws IOException {
        try {
            open(log);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private void open(Path f) throws IOException {
        channel = FileChannel.open(f, StandardOpenOption.READ);
        inode = inode(f);
        position = 0;
        committed = 0;
    }

    private boolean rotatedAway() {
        try {
            return inode(log) != inode;
        } catch (IOException e) {
            return false; // not there for an instant while conmon renames
        }
    }

    /** Parses the whole records in buf[0, lim) and ships their lines; returns the bytes used. */
    private int parse(byte[] buf, int lim) throws IOException {
        int p = 0;
        while (p < lim && !stopped) {
            int nl = LogReader.indexOfNewline(buf, p, lim);
            if (nl >= lim) {
                break;
            }
            record(buf, p, nl);
            if (stopped) {
                break; // its line may not have gone out: the next shipper sends it
            }
            p = nl + 1;
            if (partialStart[0] < 0 && partialStart[1] < 0) {
                committed = position + p;
            }
        }
        return p;
    }

    /** One record, buf[from, end): TIMESTAMP STREAM F|P CONTENT. */
    private void record(byte[] b, int from, int end) throws IOException {
        int s1 = indexOf(b, from, end, (byte) ' ');
        int s2 = s1 < 0 ? -1 : indexOf(b, s1 + 1, end, (byte) ' ');
        if (s2 < 0 || s2 + 2 > end) {
            return; // not a k8s-file record
        }
        long time = LogTimestamps.parse(b, from, s1);
        if (time == LogTimestamps.INVALID) {
            return;
        }
        int stream = s2 - s1 - 1 == 6 && b[s1 + 4] == 'e' ? 1 : 0; // "stderr" vs "stdout"
        boolean full = b[s2 + 1] == 'F';
        int content = Math.min(end, s2 + 3);
        int len = end - content;
        if (partialLength[stream] > 0 || !full) {
            if (partialStart[stream] < 0) {
                partialStart[stream] = position + from;
                partialTime[stream] = time;
            }
            append(stream, b, content, len);
            if (full) {
                shipHeld(stream, false);
            } else if (partialLength[stream] >= MAX_LINE) {
                shipHeld(stream, true); // a line longer than a message: this part goes out marked partial
            }
            return;
        }
        pieces(time, stream, b, content, len, false);
    }

    /** Ships the line held for {@code stream} and lets it go; {@code goesOn}: the line continues after it. */
    private void shipHeld(int stream, boolean goesOn) throws IOException {
        byte[] line = java.util.Arrays.copyOf(partial[stream], partialLength[stream]);
        long time = partialTime[stream];
        clearPartial(stream);
        pieces(time, stream, line, 0, line.length, goesOn);
    }

    /**
     * A line in pieces of at most MAX_LINE bytes, every one marked partial but the last, which is too when the line
     * goes on ({@code goesOn}).
     */
    private void pieces(long time, int stream, byte[] b, int off, int len, boolean goesOn) throws IOException {
        do {
            int n = Math.min(len, MAX_LINE);
            deliver(new LogMessage(time, stream == 1, java.util.Arrays.copyOfRange(b, off, off + n), len > n || goesOn));
            off += n;
            len -= n;
        } while (len > 0);
    }

    private void append(int stream, byte[] b, int off, int len) {
        byte[] held = partial[stream];
        int have = partialLength[stream];
        if (held == null || held.length < have + len) {
            held = java.util.Arrays.copyOf(held == null ? new byte[0] : held, Math.max(have + len, 2 * have + 256));
            partial[stream] = held;
        }
        System.arraycopy(b, off, held, have, len);
        partialLength[stream] = have + len;
    }

    private void clearPartial(int stream) {
        partialLength[stream] = 0;
        partialStart[stream] = -1;
    }

    /** A line the container never ended (its file ended): it goes out as it is. */
    private void flushPartials() throws IOException {
        for (int s = 0; s < 2; s++) {
            if (partialLength[s] > 0) {
                shipHeld(s, false);
            }
        }
        committed = position;
    }

    private static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Sends one message, trying again while the destination fails (unless the shipper is stopped). */
    private void deliver(LogMessage m) throws IOException {
        retry(() -> sink().send(m));
    }

    private interface Attempt {
        void run() throws IOException;
    }

    private void retry(Attempt attempt) throws IOException {
        long backoffMs = 1000;
        boolean warned = false;
        while (!stopped) {
            try {
                attempt.run();
                failing = false;
                if (warned) {
                    LOG.info("shipping the log of {} to {} again", name, sink.describe());
                }
                return;
            } catch (IOException e) {
                failing = true;
                if (!warned) {
                    LOG.warn("cannot ship the log of {} to {}: {} (its lines wait in the local log; trying again)", name,
                            destination(), e.getMessage());
                    warned = true;
                }
                recordNowAndThen(true);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                backoffMs = Math.min(30_000, backoffMs * 2);
            } catch (IllegalArgumentException e) {
                LOG.warn("dropped a line of {}'s log that {} cannot take: {}", name, sink.describe(), e.getMessage());
                return;
            }
        }
    }

    private String destination() {
        LogSink s = sink;
        return s == null ? "its destination" : s.describe();
    }

    private LogSink sink() throws IOException {
        if (sink == null) {
            sink = opener.open();
        }
        return sink;
    }

    /** Records how far delivery got: at most once a second unless {@code now}. */
    private void recordNowAndThen(boolean now) {
        if (channel == null) {
            return;
        }
        long t = System.nanoTime();
        if (!now && t - recordedAt < RECORD_EVERY_NANOS) {
            return;
        }
        recordedAt = t;
        if (inode == recordedInode && committed == recordedOffset) {
            return;
        }
        try {
            AtomicFiles.replace(state, (inode + " " + committed + "\n").getBytes(StandardCharsets.US_ASCII));
            recordedInode = inode;
            recordedOffset = committed;
        } catch (IOException e) {
            // the next record tries again; a crash meanwhile resends a little
        }
    }

    private static long[] readState(Path file) {
        try {
            String[] f = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long inode(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
}
