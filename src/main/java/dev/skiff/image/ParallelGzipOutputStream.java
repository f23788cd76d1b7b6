package dev.skiff.image;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip written the way bgzip writes it: the input is cut into 1 MiB blocks that are deflated on several threads,
 * each into a gzip member of its own (header, deflate data, CRC-32 and length), and the members are concatenated in
 * order. A gzip file may hold several members and every gunzip reads them as one stream (gzip(1), Go's
 * compress/gzip as Docker, containerd and Podman use it, Java's GZIPInputStream). Independent blocks need no
 * dictionary and no sync flush, so they can be deflated by libdeflate ({@link NativeDeflate}) where it is
 * installed, at 2-3x zlib's speed; zlib (level 1) where it is not.
 *
 * <p>Blocks that would not shrink (random data, media, files compressed already) are detected from samples and
 * written as stored blocks instead: deflate gains nothing on them and costs ~20 ns a byte, the bottleneck of a
 * push. The output is a pure function of the input bytes (fixed block size, level, samples and header), so the
 * same layer always gives the same blob and the same digest.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 1 << 20;
    /** Stored when deflating the samples saves less than 1/16 (about 6 %). */
    private static final int SAMPLE = 8 << 10;
    private static final int SAMPLES = 4;
    private static final int MAX_STORED = 65_535;
    /** A member's header: deflate, no name, no time, OS unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int TRAILER = 8;
    /** The whole output for an empty input: one member holding a final, empty stored block. */
    private static final byte[] EMPTY = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff, 1, 0, 0, (byte) 0xff,
        (byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0};

    private static final int THREADS = Integer.getInteger("skiff.gzip.threads",
            Math.max(1, Runtime.getRuntime().availableProcessors()));
    // Platform threads shared by every stream: compressing is CPU-bound, so more threads than cores only adds
    // switching, and pinning virtual threads' carriers would starve the daemon's other work.
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS,
            Thread.ofPlatform().daemon().name("gzip-", 0).factory());
    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    private static final ThreadLocal<Deflater> PROBE = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    /** Where a block is deflated before it is copied out at its size; a block's output, barring the rare growth. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[BLOCK + (BLOCK >> 4)]);
    /** Whether blocks are deflated by libdeflate; otherwise by zlib. Either way the output is a function of the input. */
    static final boolean LIBDEFLATE = NativeDeflate.AVAILABLE;
    private static final int PROBE_LIMIT = SAMPLE + 1024;
    /** A member holding a full block as stored deflate blocks. */
    private static final int STORED_FULL = storedLength(BLOCK);

    private final OutputStream out;
    private final BlockSink sink;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Input blocks whose compression is done, for reuse: a push would otherwise allocate its whole size again. */
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private final int maxPending = THREADS * 2;
    /**
     * Arrays of full stored blocks the sink gave back ({@link #recycle}), for the next ones: incompressible layers
     * are mostly such blocks, and a push would otherwise allocate its whole size again in 1 MiB arrays that live just
     * long enough (queued for the sink) to be copied and promoted by the collector, whose pauses stop every thread.
     */
    private final ConcurrentLinkedQueue<byte[]> storedSpares = new ConcurrentLinkedQueue<>();
    private byte[] block = new byte[BLOCK];
    private int filled;
    private boolean started;
    private boolean finished;

    /** A block being compressed, and the input array it came from. */
    private record Pending(byte[] input, Future<byte[]> output) {
    }

    /** Takes the compressed output; the arrays it is given are its own (nothing writes to them afterwards). */
    @FunctionalInterface
    interface BlockSink {
        void accept(byte[] owned) throws IOException;
    }

    ParallelGzipOutputStream(OutputStream out) {
        this.out = out;
        this.sink = out::write;
    }

    /** Output to {@code sink} without a copy, for a reader that queues the blocks (see {@link GzipLayerStream}). */
    ParallelGzipOutputStream(BlockSink sink) {
        this.out = null;
        this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("write after finish");
        }
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                submit();
            }
        }
    }

    /** Writes everything (an empty input as one empty member); leaves {@code out} open. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        if (filled > 0) {
            submit();
        }
        while (!pending.isEmpty()) {
            drainOne();
        }
        if (!started) {
            sink.accept(EMPTY.clone());
        }
        finished = true;
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            for (Pending p : pending) {
                p.output().cancel(false);
            }
            if (out != null) {
                out.close();
            }
        }
    }

    private void submit() throws IOException {
        started = true;
        byte[] input = block;
        int n = filled;
        byte[] reuse = spare.poll();
        block = reuse != null ? reuse : new byte[BLOCK];
        filled = 0;
        pending.add(new Pending(input, POOL.submit(() -> compress(input, n, storedSpares::poll))));
        while (pending.size() > maxPending) {
            drainOne();
        }
    }

    private void drainOne() throws IOException {
        try {
            Pending head = pending.peek();
            byte[] output = head.output().get();
            sink.accept(output);
            pending.poll();
            if (out != null) {
                recycle(output); // out.write is done with it
            }
            if (head.input().length == BLOCK && spare.size() < 2) {
                spare.add(head.input());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compressing a block failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Gives back an array this stream passed to its sink, once the sink is done with it (nothing reads or writes it
     * afterwards): a full stored block's array is reused for a later one. Any thread; other arrays are ignored.
     */
    void recycle(byte[] output) {
        if (output.length == STORED_FULL && storedSpares.size() < maxPending + 2) {
            storedSpares.offer(output);
        }
    }

    /** One block as a gzip member: deflated, or stored when it would not shrink. */
    static byte[] compress(byte[] input, int n) {
        return compress(input, n, () -> null);
    }

    /** As above; a stored member goes into an array {@code spares} gives when it has the right size. */
    static byte[] compress(byte[] input, int n, Supplier<byte[]> spares) {
        return compress(input, n, spares, LIBDEFLATE);
    }

    /** As above, with libdeflate or zlib as asked (tests compare both). */
    static byte[] compress(byte[] input, int n, Supplier<byte[]> spares, boolean libdeflate) {
        if (incompressible(input, n)) {
            return stored(input, n, spares);
        }
        // Into this thread's scratch, then one array of the exact size for the sink: a push allocates its
        // compressed size once, not half its input size and a copy on top (the collector's pauses stop every thread).
        byte[] buf = SCRATCH.get();
        int k = libdeflate ? NativeDeflate.compress(input, n, buf, HEADER.length) : zlib(input, n, buf, HEADER.length);
        if (k < 0 || HEADER.length + k + TRAILER > storedLength(n)) {
            return stored(input, n, spares); // it grew: stored is never larger than this
        }
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        trailer(buf, HEADER.length + k, input, n);
        return Arrays.copyOf(buf, HEADER.length + k + TRAILER);
    }

    /** zlib at level 1, finished: a complete raw deflate stream; -1 when it does not fit. */
    private static int zlib(byte[] input, int n, byte[] out, int off) {
        Deflater d = DEFLATER.get();
        d.reset();
        d.setInput(input, 0, n);
        d.finish();
        int pos = off;
        while (!d.finished()) {
            if (pos == out.length) {
                return -1;
            }
            pos += d.deflate(out, pos, out.length - pos);
        }
        return pos - off;
    }

    /** CRC-32 and length of the member's input, little-endian, at {@code at}. */
    private static void trailer(byte[] buf, int at, byte[] input, int n) {
        CRC32 crc = new CRC32();
        crc.update(input, 0, n);
        int c = (int) crc.getValue();
        buf[at] = (byte) c;
        buf[at + 1] = (byte) (c >> 8);
        buf[at + 2] = (byte) (c >> 16);
        buf[at + 3] = (byte) (c >> 24);
        buf[at + 4] = (byte) n;
        buf[at + 5] = (byte) (n >> 8);
        buf[at + 6] = (byte) (n >> 16);
        buf[at + 7] = (byte) (n >> 24);
    }

    /** A member of {@code n > 0} bytes as stored deflate blocks: header, a 5-byte head per 65,535 bytes, trailer. */
    private static int storedLength(int n) {
        return HEADER.length + n + (n + MAX_STORED - 1) / MAX_STORED * 5 + TRAILER;
    }

    /** Deflates a few samples spread over the block: if they barely shrink, neither would the block. */
    static boolean incompressible(byte[] input, int n) {
        if (n < SAMPLE * SAMPLES) {
            return false; // small: deflating it all costs little
        }
        Deflater probe = PROBE.get();
        byte[] scratch = SCRATCH.get(); // larger than a sample's output: stops at SAMPLE + 1024 below
        long in = 0;
        long out = 0;
        for (int i = 0; i < SAMPLES; i++) {
            int at = (int) ((long) (n - SAMPLE) * i / (SAMPLES - 1));
            probe.reset();
            probe.setInput(input, at, SAMPLE);
            probe.finish();
            int k = 0;
            while (!probe.finished() && k < PROBE_LIMIT) {
                k += probe.deflate(scratch, k, PROBE_LIMIT - k);
            }
            in += SAMPLE;
            out += probe.finished() ? k : SAMPLE * 2L;
        }
        return out > in - in / 16;
    }

    private static byte[] stored(byte[] input, int n, Supplier<byte[]> spares) {
        int length = storedLength(n);
        byte[] spare = length == STORED_FULL ? spares.get() : null;
        byte[] buf = spare != null ? spare : new byte[length];
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        int pos = HEADER.length;
        for (int at = 0; at < n; at += MAX_STORED) {
            int len = Math.min(MAX_STORED, n - at);
            buf[pos++] = (byte) (at + len == n ? 1 : 0); // BFINAL on the last, BTYPE 00 (stored), byte-aligned
            buf[pos++] = (byte) len;
            buf[pos++] = (byte) (len >> 8);
            buf[pos++] = (byte) ~len;
            buf[pos++] = (byte) (~len >> 8);
            System.arraycopy(input, at, buf, pos, len);
            pos += len;
        }
        trailer(buf, pos, input, n);
        return buf;
    }
}
