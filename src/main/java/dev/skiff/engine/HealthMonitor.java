package dev.skiff.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.SkiffException;
import dev.skiff.runtime.ExecSession;
import dev.skiff.sys.GoDuration;
import dev.skiff.sys.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs containers' health checks, as Docker does: one probe loop per running container that has a
 * Healthcheck, started by the "start" event and ended by "die". Each probe is an exec in the container,
 * killed when it exceeds its timeout. Results live in memory, as the rest of exec state does: after a daemon
 * restart a running container is "starting" again until its next probe.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    /** Docker keeps this much of a probe's output. */
    static final int MAX_OUTPUT = 4096;

    private final ContainerService containers;
    private final NameGenerator ids = new NameGenerator();
    private final Map<String, Health> states = new ConcurrentHashMap<>();
    private final Map<String, Thread> loops = new ConcurrentHashMap<>();
    private volatile boolean closed;

    HealthMonitor(ContainerService containers) {
        this.containers = containers;
        containers.events().addListener(this::onEvent);
    }

    /** The container's health for inspect, or null when it has no health check. */
    public Health health(Container c) {
        Health h = states.get(c.id());
        if (h != null) {
            return c.state().hasProcess() || h.status().equals(Health.UNHEALTHY) ? h : h.stopped();
        }
        // none before its first start: dockerd makes the health state when it starts the container
        return HealthConfig.of(c.config()) == null || !c.state().everStarted() ? null : Health.starting();
    }

    /** "none", "starting", "healthy" or "unhealthy", for ps's filter. */
    public String status(Container c) {
        Health h = health(c);
        return h == null ? "none" : h.status();
    }

    /** Starts probing the running containers found at daemon start. */
    void adoptRunning() {
        for (Container c : containers.all()) {
            if (c.state().hasProcess()) {
                begin(c.id());
            }
        }
    }

    private void onEvent(Event e) {
        if (!"container".equals(e.type()) || closed) {
            return;
        }
        String id = e.actor().id();
        switch (e.action()) {
            case "start" -> begin(id);
            case "die" -> end(id, false);
            case "destroy" -> end(id, true);
            default -> { }
        }
    }

    private void begin(String id) {
        Container c;
        try {
            c = containers.get(id);
        } catch (SkiffException gone) {
            return;
        }
        HealthConfig config = HealthConfig.of(c.config());
        if (config == null) {
            return;
        }
        states.put(id, Health.starting());
        Thread loop = Thread.ofVirtual().name("health-" + id.substring(0, 12)).unstarted(() -> run(id, config));
        Thread old = loops.put(id, loop);
        if (old != null) {
            old.interrupt();
        }
        loop.start();
    }

    private void end(String id, boolean forget) {
        Thread loop = loops.remove(id);
        if (loop != null) {
            loop.interrupt();
        }
        if (forget) {
            states.remove(id);
        } else {
            states.computeIfPresent(id, (k, h) -> h.stopped());
        }
    }

    private void run(String id, HealthConfig config) {
        Instant started = Instant.now();
        try {
            while (!closed && loops.get(id) == Thread.currentThread()) {
                Health current = states.getOrDefault(id, Health.starting());
                boolean inStart = Instant.now().isBefore(started.plus(config.startPeriod()));
                Thread.sleep(inStart && current.status().equals(Health.STARTING) ? config.startInterval() : config.interval());
                Container c = containers.get(id);
                if (!c.state().hasProcess() || loops.get(id) != Thread.currentThread()) {
                    return;
                }
                if (c.state().paused()) {
                    continue; // a paused container cannot run a probe; Docker skips it too
                }
                Health.Result result = probe(c, config);
                boolean stillStarting = Instant.now().isBefore(started.plus(config.startPeriod()));
                Health before = states.getOrDefault(id, Health.starting());
                Health after = before.after(result, stillStarting, config.retries());
                if (loops.get(id) != Thread.currentThread()) {
                    return; // the container died while the probe ran: its state is already "stopped"
                }
                states.put(id, after);
                if (!after.status().equals(before.status())) {
                    containers.events().publishContainer(c, "health_status: " + after.status(), Map.of());
                }
            }
        } catch (InterruptedException stop) {
            // the container stopped or the daemon is closing
        } catch (SkiffException gone) {
            // the container was removed
        } catch (RuntimeException e) {
            LOG.warn("health check loop of {} ended: {}", id, e.toString());
        }
    }

    /** One probe: exec the command, keep the first {@value #MAX_OUTPUT} bytes, kill it at the timeout. */
    private Health.Result probe(Container c, HealthConfig config) throws InterruptedException {
        String start = Times.now();
        ObjectNode execConfig = Json.MAPPER.createObjectNode();
        Exec exec = new Exec(ids.newId(), c.id(), execConfig, config.command());
        // a probe is an exec, and dockerd publishes its exec events as for any other (tools watching events see
        // each probe run)
        Map<String, String> execId = Map.of("execID", exec.id);
        containers.events().publishContainer(c, ExecService.action("exec_create", config.command()), execId);
        ExecSession session;
        try {
            containers.events().publishContainer(c, ExecService.action("exec_start", config.command()), execId);
            session = containers.runtime().exec(c.id(), ExecService.process(c, exec), false);
        } catch (SkiffException | IOException e) {
            return new Health.Result(start, Times.now(), -1, e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int[] code = {-1};
        Thread reader = Thread.ofVirtual().start(() -> {
            try (session) {
                while (session.readOutput((stream, data, off, len) -> {
                    int room = MAX_OUTPUT - output.size();
                    if (room > 0) {
                        output.write(data, off, Math.min(room, len));
                    }
                })) {
                    // reading until the process closes its output
                }
                code[0] = session.waitFor();
            } catch (IOException | InterruptedException e) {
                code[0] = -1;
            }
        });
        boolean inTime = reader.join(config.timeout());
        if (!inTime) {
            ProcessHandle.of(session.pid()).ifPresent(ProcessHandle::destroyForcibly);
            reader.join(Duration.ofSeconds(2));
        }
        containers.events().publishContainer(c, "exec_die", Map.of("execID", exec.id,
                "exitCode", Integer.toString(code[0])));
        if (!inTime) {
            return new Health.Result(start, Times.now(), -1,
                    "Health check exceeded timeout (" + GoDuration.format(config.timeout()) + ")");
        }
        return new Health.Result(start, Times.now(), code[0], output.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        closed = true;
        loops.values().forEach(Thread::interrupt);
        loops.clear();
    }
}
