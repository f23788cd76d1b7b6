package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.engine.logging.LogDrivers;
import dev.skiff.engine.logging.LogSink;
import dev.skiff.engine.logging.LogSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LogShipper}s of containers whose log driver sends their lines away (syslog, journald, gelf, fluentd):
 * one from each start until the lines the container wrote before it exited are out, and at daemon start one for
 * every running container and every stopped one with lines not yet shipped.
 */
final class LogShipping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogShipping.class);
    /** How long a removal waits for the last lines to go out before it deletes the log. */
    static final Duration DRAIN_BEFORE_REMOVAL = Duration.ofSeconds(10);

    private final Map<String, LogShipper> shippers = new ConcurrentHashMap<>();
    private final String hostname = hostname();

    static boolean ships(Container c) {
        return LogDrivers.ships(driver(c));
    }

    private static String driver(Container c) {
        return c.hostConfig().path("LogConfig").path("Type").asText("");
    }

    /**
     * Opens the container's destination before it starts, so one that cannot be reached fails the start as with
     * dockerd; null for a driver that ships nothing.
     */
    LogSink open(Container c) throws IOException {
        if (!ships(c)) {
            return null;
        }
        try {
            return LogDrivers.open(driver(c), options(c), source(c));
        } catch (IOException e) {
            throw new IOException("failed to create task for container: failed to initialize logging driver: "
                    + e.getMessage() + " (start it, or fix the container's --log-opt)", e);
        }
    }

    /** The container runs: its lines go out from where the last shipper stopped. */
    void started(Container c, LogSink sink) {
        replace(c, shipper(c, sink, false));
    }

    /** The container's process is gone: what it wrote goes out, then its shipper ends. */
    void exited(String id) {
        LogShipper s = shippers.get(id);
        if (s != null) {
            s.finish();
        }
    }

    /** Before the log is deleted: its last lines get a bounded time to go out. */
    void beforeRemoval(String id) {
        LogShipper s = shippers.remove(id);
        if (s != null) {
            s.finish();
            if (s.failing()) {
                LOG.warn("the log of {} could not all be shipped before its removal: its destination is failing",
                        id.substring(0, 12));
                s.stop();
            } else if (!s.awaitDone(DRAIN_BEFORE_REMOVAL)) {
                LOG.warn("the log of {} was not all shipped within {} s of its removal; the rest is lost", id.substring(
                        0, 12), DRAIN_BEFORE_REMOVAL.toSeconds());
                s.stop();
            }
        }
    }

    /** At daemon start: running containers' lines go on being shipped, stopped ones' unshipped lines go out. */
    void adopt(Collection<Container> containers) {
        for (Container c : containers) {
            if (!ships(c) || c.logPath() == null) {
                continue;
            }
            boolean running = c.state().hasProcess();
            if (running || LogShipper.hasUnshipped(Path.of(c.logPath()))) {
                replace(c, shipper(c, null, !running));
            }
        }
    }

    /** A shipper of {@code c}'s log that opens its destination again when it has none ({@code sink} null). */
    private LogShipper shipper(Container c, LogSink sink, boolean finish) {
        return new LogShipper(c.shortName(), Path.of(c.logPath()), sink,
                () -> LogDrivers.open(driver(c), options(c), source(c)), finish);
    }

    private void replace(Container c, LogShipper next) {
        LogShipper previous = shippers.put(c.id(), next);
        if (previous != null) {
            // the last run's shipper still sending its final lines: one shipper per file at a time
            previous.finish();
            if (!previous.awaitDone(Duration.ofSeconds(5))) {
                previous.stop();
            }
        }
        next.start();
    }

    @Override
    public void close() {
        shippers.values().forEach(LogShipper::signalStop); // all at once, then wait for each
        shippers.values().forEach(LogShipper::stop);
        shippers.clear();
    }

    static Map<String, String> options(Container c) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode cfg = c.hostConfig().path("LogConfig").path("Config");
        cfg.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    LogSource source(Container c) {
        Map<String, String> extra = new LinkedHashMap<>(LogDetails.attributes(c));
        extra.remove("tag");
        String template = c.hostConfig().path("LogConfig").path("Config").path("tag").asText("");
        StringBuilder command = new StringBuilder(c.path() == null ? "" : c.path());
        if (c.args() != null) {
            c.args().forEach(a -> command.append(' ').append(a));
        }
        return new LogSource(c.id(), c.shortName(), c.imageId(), c.imageName() == null ? "" : c.imageName(),
                command.toString().strip(), c.created(), LogDetails.tag(template.isEmpty() ? "{{.ID}}" : template, c),
                extra, hostname);
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
