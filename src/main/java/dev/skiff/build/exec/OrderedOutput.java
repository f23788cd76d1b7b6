package dev.skiff.build.exec;

import dev.skiff.build.BuildOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage's output, held back while the step before is still being committed: the next step runs meanwhile (see
 * {@link StageBuilder}), and its lines must come after the " ---> ID" line that ends the step before, in the
 * order the classic builder prints them. What a step prints while held is kept in memory, in order, and written
 * the moment the ID is known.
 */
final class OrderedOutput implements BuildOutput {
    private final BuildOutput out;
    /** Strings and byte arrays in arrival order; null while passing through. */
    private List<Object> held;

    OrderedOutput(BuildOutput out) {
        this.out = out;
    }

    /** From now on, output waits for {@link #release}. */
    synchronized void hold() {
        if (held == null) {
            held = new ArrayList<>();
        }
    }

    /** Writes {@code first} (may be null), then whatever was held, and passes output through again. */
    synchronized void release(String first) {
        List<Object> pending = held;
        held = null;
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
        if (held != null) {
            held.add(text);
        } else {
            out.stream(text);
        }
    }

    @Override
    public synchronized void output(byte[] bytes) {
        if (held != null) {
            held.add(bytes);
        } else {
            out.output(bytes);
        }
    }

    @Override
    public synchronized void imageId(String id) {
        release(null);
        out.imageId(id);
    }
}
