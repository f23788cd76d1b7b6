package dev.skiff.build.exec;

import dev.skiff.build.BuildOutput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A RUN step's stdout and stderr on their way to the client: passed on in whole lines (so a multi-byte character is
 * never split between two messages), stderr's between the classic builder's red escape codes ({@code ESC[91m} before,
 * {@code ESC[0m} after, as dockerd's stderr formatter writes them), with the last lines of both kept, uncoloured and
 * in arrival order, for the error message when the step fails. The two streams come from two threads.
 */
final class StepLines {
    static final String RED = "\033[91m";
    static final String RESET = "\033[0m";
    private static final int TAIL = 10;
    private static final int MAX_LINE = 64 * 1024;

    private final BuildOutput out;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Channel stdout = new Channel(false);
    private final Channel stderr = new Channel(true);

    StepLines(BuildOutput out) {
        this.out = out;
    }

    /** Bytes the step wrote on its stdout. */
    void stdout(byte[] bytes) {
        stdout.accept(bytes);
    }

    /** Bytes the step (or runc, about it) wrote on stderr. */
    void stderr(byte[] bytes) {
        stderr.accept(bytes);
    }

    /** Sends what is left of each stream (a last line without a newline). */
    void flush() {
        stdout.flush();
        stderr.flush();
    }

    synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    private synchronized void emit(String text, boolean red) {
        out.stream(red ? RED + text + RESET : text);
        String line = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        tail.addLast(line);
        if (tail.size() > TAIL) {
            tail.removeFirst();
        }
    }

    private final class Channel {
        private final boolean red;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Channel(boolean red) {
            this.red = red;
        }

        void accept(byte[] bytes) {
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    partial.write(bytes, start, i + 1 - start);
                    send();
                    start = i + 1;
                }
            }
            partial.write(bytes, start, bytes.length - start);
            if (partial.size() > MAX_LINE) {
                send(); // a line without end (a progress bar): pass it on rather than hold it all
            }
        }

        void flush() {
            if (partial.size() > 0) {
                partial.write('\n');
                send();
            }
        }

        private void send() {
            String text = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            emit(text, red);
        }
    }
}
