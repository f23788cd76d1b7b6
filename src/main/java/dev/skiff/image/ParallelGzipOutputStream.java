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
 * gzip written the way pigz writes it: the input is cut into 1 MiB blocks that are deflated on several threads,
 * each primed with the previous block's last 32 KiB as its dictionary and ended with a sync flush (so it ends on
 * a byte boundary), and the blocks are concatenated in order into one ordinary gzip member whose CRC-32 and length
 * cover the whole input. Any gunzip reads it.
 *
 * <p>Blocks that would not shrink (random data, media, files compressed already) are detected from samples and
 * written as stored blocks instead: deflate gains nothing on them and costs ~20 ns a byte, the bottleneck of a
 * push. The output is a pure function of the input bytes (fixed block size, level, samples and header), so the
 * same layer always gives the same blob and the same digest.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 1 << 20;
    private static final int DICTIONARY = 32 << 10;
    /** Stored when deflating the samples saves less than 1/16 (about 6 %). */
    private static final int SAMPLE = 8 << 10;
    private static final int SAMPLES = 4;
    private static final int MAX_STORED = 65_535;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** A final, empty stored block: ends the deflate stream after the last sync-flushed block. */
    private static final byte[] LAST_BLOCK = {1, 0, 0, (byte) 0xff, (byte) 0xff};

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
    private static final int PROBE_LIMIT = SAMPLE + 1024;
    /** A full block as stored deflate blocks: its bytes and a 5-byte header per 65,535 of them. */
    private static final int STORED_FULL = storedLength(BLOCK);

    private final OutputStream out;
    private final BlockSink sink;
    private final CRC32 crc = new CRC32();
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
    private byte[] dictionary;
    private long length;
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

    /** Writes everything and the gzip trailer; leaves {@code out} open. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        if (filled > 0 || !started) {
            submit();
        }
        while (!pending.isEmpty()) {
            drainOne();
        }
        int c = (int) crc.getValue();
        int size = (int) length;
        sink.accept(new byte[] {LAST_BLOCK[0], LAST_BLOCK[1], LAST_BLOCK[2], LAST_BLOCK[3], LAST_BLOCK[4],
                (byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
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
        if (!started) {
            sink.accept(HEADER.clone());
            started = true;
        }
        byte[] input = block;
        int n = filled;
        byte[] dict = dictionary;
        crc.update(input, 0, n);
        length += n;
        if (n >= DICTIONARY) {
            dictionary = Arrays.copyOfRange(input, n - DICTIONARY, n);
        }
        byte[] reuse = spare.poll();
        block = reuse != null ? reuse : new byte[BLOCK];
        filled = 0;
        if (n == 0) {
            return;
        }
        pending.add(new Pending(input, POOL.submit(() -> compress(input, n, dict, storedSpares::poll))));
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

    /** One block as deflate data ending on a byte boundary: sync-flushed, or stored when it would not shrink. */
    static byte[] compress(byte[] input, int n, byte[] dictionary) {
        return compress(input, n, dictionary, () -> null);
    }

    /** As above; a stored block goes into an array {@code spares} gives when it has the right size. */
    static byte[] compress(byte[] input, int n, byte[] dictionary, Supplier<byte[]> spares) {
        if (incompressible(input, n)) {
            return stored(input, n, spares);
        }
        Deflater d = DEFLATER.get();
        d.reset();
        if (dictionary != null) {
            d.setDictionary(dictionary);
        }
        d.setInput(input, 0, n);
        // Into this thread's scratch, then one array of the exact size for the sink: a push allocates its
        // compressed size once, not half its input size and a copy on top (the collector's pauses stop every thread).
        byte[] buf = SCRATCH.get();
        int pos = 0;
        while (true) {
            int k = d.deflate(buf, pos, buf.length - pos, Deflater.SYNC_FLUSH);
            pos += k;
            if (pos < buf.length && d.needsInput()) {
                return Arrays.copyOf(buf, pos);
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
            SCRATCH.set(buf);
        }
    }

    private static int storedLength(int n) {
        return n + (n + MAX_STORED - 1) / MAX_STORED * 5;
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
        int pos = 0;
        for (int at = 0; at < n; at += MAX_STORED) {
            int len = Math.min(MAX_STORED, n - at);
            buf[pos++] = 0; // BFINAL 0, BTYPE 00 (stored), padded to the byte boundary
            buf[pos++] = (byte) len;
            buf[pos++] = (byte) (len >> 8);
            buf[pos++] = (byte) ~len;
            buf[pos++] = (byte) (~len >> 8);
            System.arraycopy(input, at, buf, pos, len);
            pos += len;
        }
        return buf;
    }
}
