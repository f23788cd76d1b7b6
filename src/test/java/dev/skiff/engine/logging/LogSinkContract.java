package dev.skiff.engine.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LogSink} does, against a local destination speaking its protocol: lines arrive in order with
 * their stream, whole; a stream destination that restarts between two lines loses neither; a destination that is
 * not there fails the open. An implementation's test extends this and supplies the destination.
 */
public abstract class LogSinkContract {
    /** One line as the destination decoded it. */
    public record Received(String line, boolean stderr, Map<String, String> fields) {
    }

    /** A local destination: collects what arrives, decoded. */
    public interface Destination extends AutoCloseable {
        /** What has arrived so far (a concurrent list the destination adds to). */
        List<Received> received();

        /** Blocks until {@code n} lines arrived (or fails after the timeout); returns them all. */
        default List<Received> await(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received().size() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("expected " + n + " lines, got " + received());
                }
                Thread.sleep(10);
            }
            return List.copyOf(received());
        }

        /** Closes every connection and listens again at the same address. */
        void restart() throws Exception;

        @Override
        void close();
    }

    static final LogSource SOURCE = new LogSource("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "web-1", "sha256:" + "ab".repeat(32), "busybox:latest", "sh -c echo", "2026-12-07T00:00:00Z", "0123456789ab",
            Map.of("com.example.team", "ops"), "testhost");

    private Destination destination;

    protected abstract Destination destination() throws Exception;

    protected abstract LogSink open(Destination d) throws IOException;

    /** Opens a sink for an address where nothing listens. */
    protected abstract LogSink openNowhere() throws IOException;


    /**
     * UDP: no connection to outlive a restart of the destination, and no way to tell at open that it is there.
     * (AF_UNIX datagrams can tell both: the socket file is there or not.)
     */
    protected boolean overUdp() {
        return false;
    }

    protected Destination started() throws Exception {
        destination = destination();
        return destination;
    }

    @AfterEach
    void stopDestination() {
        if (destination != null) {
            destination.close();
        }
    }

    static LogMessage line(String text, boolean stderr) {
        return new LogMessage(1_796_600_000_123_456_789L, stderr, text.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void linesArriveInOrder_withTheirStream() throws Exception {
        Destination d = started();
        try (LogSink sink = open(d)) {
            sink.send(line("first", false));
            sink.send(line("second to stderr", true));
            sink.send(line("third: ünïcödé ✓", false));
            List<Received> got = d.await(3, Duration.ofSeconds(10));
            assertThat(got).extracting(Received::line).containsExactly("first", "second to stderr", "third: ünïcödé ✓");
            assertThat(got).extracting(Received::stderr).containsExactly(false, true, false);
        }
    }

    @Test
    void aLongLine_arrivesWhole() throws Exception {
        Destination d = started();
        String big = "x".repeat(16 * 1024 - 1) + "!";
        try (LogSink sink = open(d)) {
            sink.send(line(big, false));
            assertThat(d.await(1, Duration.ofSeconds(10)).getFirst().line()).isEqualTo(big);
        }
    }

    @Test
    void aDestinationThatRestarts_losesNoLine() throws Exception {
        if (overUdp()) {
            return;
        }
        Destination d = started();
        try (LogSink sink = open(d)) {
            sink.send(line("before", false));
            d.await(1, Duration.ofSeconds(10));
            d.restart();
            Thread.sleep(300); // a pause, as between a container's lines
            for (int i = 0; i < 3; i++) {
                try {
                    sink.send(line("after", false));
                    break;
                } catch (IOException e) {
                    // the shipper sends a failed line again: so does this test
                }
            }
            assertThat(d.await(2, Duration.ofSeconds(10))).extracting(Received::line).containsExactly("before", "after");
        }
    }

    @Test
    void openingWhereNothingListens_fails() {
        if (!overUdp()) {
            assertThatThrownBy(this::openNowhere).isInstanceOf(IOException.class);
        }
    }
}
