package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitMonitorTest {
    /** The next reported ID that is not {@code seen} (a file's create and write are two events, both reported). */
    private static String nextOtherThan(BlockingQueue<String> exits, String seen) throws InterruptedException {
        for (String id; (id = exits.poll(10, TimeUnit.SECONDS)) != null; ) {
            if (!id.equals(seen)) {
                return id;
            }
        }
        return null;
    }

    @TempDir
    Path tmp;

    @Test
    void anExitFile_isReported_andAnErrorInTheLoop_doesNotEndIt() throws Exception {
        BlockingQueue<String> exits = new LinkedBlockingQueue<>();
        AtomicInteger sweeps = new AtomicInteger();
        // the first sweep meets an OutOfMemoryError (another request used the heap up): the monitor must go on
        try (ExitMonitor monitor = new ExitMonitor(tmp, exits::add, () -> {
            if (sweeps.getAndIncrement() == 0) {
                throw new OutOfMemoryError("Java heap space");
            }
            return List.of();
        })) {
            String first = "a".repeat(64);
            Files.writeString(tmp.resolve(first), "0"); // its event wakes the loop, whose sweep then fails
            assertThat(exits.poll(10, TimeUnit.SECONDS)).isEqualTo(first);
            for (int i = 0; i < 100 && sweeps.get() == 0; i++) {
                Thread.sleep(20);
            }
            assertThat(sweeps.get()).as("the failing sweep ran").isEqualTo(1);
            String second = "b".repeat(64);
            Files.writeString(tmp.resolve(second), "0");
            assertThat(nextOtherThan(exits, first)).as("reported after the error").isEqualTo(second);
        }
    }
}
