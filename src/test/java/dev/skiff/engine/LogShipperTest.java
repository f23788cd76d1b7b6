package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.logging.LogMessage;
import dev.skiff.engine.logging.LogSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogShipperTest {
    @TempDir
    Path dir;

    /** Records what it is sent; fails the next {@code failures} sends. */
    static final class Recording implements LogSink {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void send(LogMessage m) throws IOException {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("destination down");
            }
            lines.add((m.stderr() ? "E:" : "O:") + new String(m.line(), StandardCharsets.UTF_8) + (m.partial() ? "+" : ""));
        }

        @Override
        public String describe() {
            return "a test's sink";
        }

        @Override
        public void close() {
        }
    }

    private static void append(Path log, String... records) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String r : records) {
            s.append(r).append('\n');
        }
        Files.writeString(log, s, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String rec(String stream, String tag, String text) {
        return "2026-12-07T03:00:00.000000001Z " + stream + " " + tag + " " + text;
    }

    private static void awaitLines(Recording r, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (r.lines.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(r.lines).hasSizeGreaterThanOrEqualTo(n);
    }

    @Test
    void linesGoOut_partsJoined_streamsKept() throws Exception {
        Path log = dir.resolve("container.log");
        append(log, rec("stdout", "F", "one"), rec("stderr", "P", "two-a "), rec("stdout", "F", "three"),
                rec("stderr", "F", "two-b"), rec("stdout", "F", ""));
        Recording r = new Recording();
        LogShipper s = new LogShipper("c1", log, r, () -> r, false).start();
        awaitLines(r, 4);
        s.finish();
        assertThat(s.awaitDone(Duration.ofSeconds(5))).isTrue();
        assertThat(r.lines).containsExactly("O:one", "O:three", "E:two-a two-b", "O:");
    }

    @Test
    void aLineLongerThanAMessage_goesInPartialPieces() throws Exception {
        Path log = dir.resolve("container.log");
        String part = "x".repeat(8192);
        append(log, rec("stdout", "P", part), rec("stdout", "P", part), rec("stdout", "F", "tail"));
        Recording r = new Recording();
        LogShipper s = new LogShipper("c1", log, r, () -> r, true).start();
        assertThat(s.awaitDone(Duration.ofSeconds(5))).isTrue();
        assertThat(r.lines).containsExactly("O:" + part + part + "+", "O:tail");
    }

    @Test
    void aFailingDestination_getsEveryLineOnceItIsBack() throws Exception {
        Path log = dir.resolve("container.log");
        append(log, rec("stdout", "F", "a"), rec("stdout", "F", "b"));
        Recording r = new Recording();
        r.failures.set(2);
        LogShipper s = new LogShipper("c1", log, r, () -> r, true).start();
        assertThat(s.awaitDone(Duration.ofSeconds(15))).isTrue();
        assertThat(r.lines).containsExactly("O:a", "O:b");
    }

    @Test
    void aNewShipper_goesOnWhereTheLastStopped_evenInTheRotatedFile() throws Exception {
        Path log = dir.resolve("container.log");
        append(log, rec("stdout", "F", "1"), rec("stdout", "F", "2"));
        Recording first = new Recording();
        LogShipper s = new LogShipper("c1", log, first, () -> first, false).start();
        awaitLines(first, 2);
        s.stop(); // a daemon shutdown
        assertThat(first.lines).containsExactly("O:1", "O:2");
        // meanwhile the container writes on and conmon rotates: the old file is container.log.1 now
        append(log, rec("stdout", "F", "3"));
        Files.move(log, dir.resolve("container.log.1"));
        append(log, rec("stdout", "F", "4"));
        assertThat(LogShipper.hasUnshipped(log)).isTrue();
        Recording second = new Recording();
        LogShipper again = new LogShipper("c1", log, null, () -> second, true).start();
        assertThat(again.awaitDone(Duration.ofSeconds(5))).isTrue();
        assertThat(second.lines).containsExactly("O:3", "O:4");
        assertThat(LogShipper.hasUnshipped(log)).isFalse();
    }

    @Test
    void aRotationWhileFollowing_readsTheOldFileToItsEndFirst() throws Exception {
        Path log = dir.resolve("container.log");
        append(log, rec("stdout", "F", "1"));
        Recording r = new Recording();
        LogShipper s = new LogShipper("c1", log, r, () -> r, false).start();
        awaitLines(r, 1);
        append(log, rec("stdout", "F", "2"));
        Files.move(log, dir.resolve("container.log.1")); // conmon: the old file closed, a new one in its place
        append(log, rec("stdout", "F", "3"));
        awaitLines(r, 3);
        s.finish();
        assertThat(s.awaitDone(Duration.ofSeconds(5))).isTrue();
        assertThat(r.lines).containsExactly("O:1", "O:2", "O:3");
    }

    @Test
    void linesWrittenJustBeforeTheExit_goOutBeforeTheShipperEnds() throws Exception {
        Path log = dir.resolve("container.log");
        append(log, rec("stdout", "F", "1"));
        Recording r = new Recording();
        LogShipper s = new LogShipper("c1", log, r, () -> r, false).start();
        awaitLines(r, 1);
        for (int i = 2; i <= 50; i++) {
            append(log, rec("stdout", "F", Integer.toString(i)));
        }
        s.finish(); // the exit: everything the container wrote is in the file
        assertThat(s.awaitDone(Duration.ofSeconds(5))).isTrue();
        assertThat(r.lines).hasSize(50).endsWith("O:50");
    }

    @Test
    void aShipperStuckOnADestination_stopsWhenAsked() throws Exception {
        Path log = dir.resolve("container.log");
        append(log, rec("stdout", "F", "never taken"));
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        LogSink stuck = new LogSink() {
            @Override
            public void send(LogMessage m) throws IOException {
                try {
                    closed.await(); // a write the destination never takes, until the connection closes
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("connection closed");
            }

            @Override
            public String describe() {
                return "a destination that takes nothing";
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
        LogShipper s = new LogShipper("c1", log, stuck, () -> stuck, false).start();
        Thread.sleep(200);
        s.stop();
        assertThat(s.awaitDone(Duration.ofSeconds(1))).isTrue();
        assertThat(LogShipper.hasUnshipped(log)).as("the line is still to be shipped").isTrue();
    }

    @Test
    void aContainerThatNeverWrote_hasNothingToShip() throws Exception {
        Path log = dir.resolve("container.log");
        assertThat(LogShipper.hasUnshipped(log)).isFalse();
        Recording r = new Recording();
        LogShipper s = new LogShipper("c1", log, r, () -> r, true).start();
        assertThat(s.awaitDone(Duration.ofSeconds(5))).isTrue();
        assertThat(r.lines).isEmpty();
    }
}
