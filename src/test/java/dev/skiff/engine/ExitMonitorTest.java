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
        // the first sweep (at once) meets an OutOfMemoryError (another request used the heap up): the monitor must go on
        try (ExitMonitor monitor = new ExitMonitor(tmp, exits::add, () -> {
            if (sweeps.getAndIncrement() == 0) {
                throw new OutOfMemoryError("Java heap space");
            }
            return List.of();
        })) {
            for (int i = 0; i < 100 && sweeps.get() == 0; i++) {
                Thread.sleep(20);
            }
            assertThat(sweeps.get()).as("the failing sweep ran").isPositive();
            String first = "a".repeat(64);
            Files.writeString(tmp.resolve(first), "0");
            assertThat(exits.poll(10, TimeUnit.SECONDS)).as("reported after the error").isEqualTo(first);
            String second = "b".repeat(64);
            Files.writeString(tmp.resolve(second), "0");
            assertThat(nextOtherThan(exits, first)).as("reported after the error").isEqualTo(second);
        }
    }

    @Test
    void anExitBeforeTheWatchStarted_isReportedAtOnce_notASweepLater() throws Exception {
        String id = "c".repeat(64);
        Files.writeString(tmp.resolve(id), "137"); // died between reconcile() and the monitor's start
        BlockingQueue<String> exits = new LinkedBlockingQueue<>();
        try (ExitMonitor monitor = new ExitMonitor(tmp, exits::add, () -> List.of(id))) {
            assertThat(exits.poll(2, TimeUnit.SECONDS)).as("not after the 5 s poll").isEqualTo(id);
        }
    }

    @Test
    void aRunningContainerWhoseMonitorDied_isHandedOverBySweep() throws Exception {
        String id = "d".repeat(64);
        BlockingQueue<String> exits = new LinkedBlockingQueue<>();
        try (ExitMonitor monitor = new ExitMonitor(tmp, exits::add, () -> List.of(id), x -> x.equals(id))) {
            assertThat(exits.poll(2, TimeUnit.SECONDS)).as("no exit file: only its dead conmon says so").isEqualTo(id);
        }
    }
}
