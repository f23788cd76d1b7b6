package dev.skiff.build.exec;

import dev.skiff.build.BuildOutput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A RUN step's output on its way to the client: passed on in whole lines (so a multi-byte character is never
 * split between two messages), with the last lines kept for the error message when the step fails.
 */
final class StepLines {
    private static final int TAIL = 10;
    private static final int MAX_LINE = 64 * 1024;

    private final BuildOutput out;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Deque<String> tail = new ArrayDeque<>();

    StepLines(BuildOutput out) {
        this.out = out;
    }

    void accept(byte[] bytes) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                partial.write(bytes, start, i + 1 - start);
                emit();
                start = i + 1;
            }
        }
        partial.write(bytes, start, bytes.length - start);
        if (partial.size() > MAX_LINE) {
            emit(); // a line without end (a progress bar): pass it on rather than hold it all
        }
    }

    /** Sends what is left (a last line without a newline). */
    void flush() {
        if (partial.size() > 0) {
            partial.write('\n');
            emit();
        }
    }

    List<String> tail() {
        return List.copyOf(tail);
    }

    private void emit() {
        String text = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        out.stream(text);
        String line = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        tail.addLast(line);
        if (tail.size() > TAIL) {
            tail.removeFirst();
        }
    }
}
