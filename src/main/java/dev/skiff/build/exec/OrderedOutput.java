package dev.skiff.build.exec;

import dev.skiff.build.BuildOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage's output, held back while the step before is still being committed: the next step runs meanwhile (see
 * {@link StageBuilder}), and its lines must come after the " ---> ID" line that ends the step before, in the
 * order the classic builder prints them. What a step prints while held is kept in memory, in order, and written
 * the moment the ID is known. At most {@link #MAX_HELD} bytes are kept: a step that prints more while a large
 * layer below it is still hashed waits for the hash (its output pipe fills and the process pauses) rather than
 * the daemon holding its output without bound.
 */
final class OrderedOutput implements BuildOutput {
    static final long MAX_HELD = 4L << 20;

    private final BuildOutput out;
    private final long maxHeld;
    /** Strings and byte arrays in arrival order; null while passing through. */
    private List<Object> held;
    private long heldBytes;

    OrderedOutput(BuildOutput out) {
        this(out, MAX_HELD);
    }

    OrderedOutput(BuildOutput out, long maxHeld) {
        this.out = out;
        this.maxHeld = maxHeld;
    }

    /** From now on, output waits for {@link #release}. */
    synchronized void hold() {
        if (held == null) {
            held = new ArrayList<>();
            heldBytes = 0;
        }
    }

    /** Writes {@code first} (may be null), then whatever was held, and passes output through again. */
    synchronized void release(String first) {
        List<Object> pending = held;
        held = null;
        heldBytes = 0;
        notifyAll();
        if (first != null) {
            out.stream(first);
        }
        if (pending != null) {
            for (Object o : pending) {
                if (o instanceof byte[] bytes) {
                    out.output(bytes);
                } else {
                    out.stream((String) o);
                }
            }
        }
    }

    @Override
    public synchronized void stream(String text) {
        if (awaitRoom(text.length())) {
            held.add(text);
            heldBytes += text.length();
        } else {
            out.stream(text);
        }
    }

    @Override
    public synchronized void output(byte[] bytes) {
        if (awaitRoom(bytes.length)) {
            held.add(bytes);
            heldBytes += bytes.length;
        } else {
            out.output(bytes);
        }
    }

    /** Passed through, or dropped while output is held: a byte counter is out of date by the release. */
    @Override
    public synchronized void progress(String id, String status, long current, long total) {
        if (held == null) {
            out.progress(id, status, current, total);
        }
    }

    @Override
    public synchronized void imageId(String id) {
        release(null);
        out.imageId(id);
    }

    /**
     * Whether {@code size} more bytes are to be held (false: pass them through); waits while holding them would
     * exceed the limit. A wait ends at the release; an interrupt (a cancelled build) writes through at once.
     */
    private boolean awaitRoom(long size) {
        while (held != null && heldBytes > 0 && heldBytes + size > maxHeld) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return held != null;
    }
}
