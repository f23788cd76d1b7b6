package dev.skiff.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.ConflictException;
import dev.skiff.runtime.CgroupStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** docker stats: one sample of a container's cgroup counters in Docker's stats JSON. */
public final class StatsService {
    private final ContainerService containers;

    public StatsService(ContainerService containers) {
        this.containers = containers;
    }

    /** A raw sample and when it was taken, so the next one can carry it as precpu_stats. */
    public record Sample(CgroupStats stats, Instant read) {
    }

    public Sample sample(Container c) {
        return new Sample(containers.runtime().stats(c.id()), Instant.now());
    }

    /** Docker's JSON for a container that is not running: zeroes, as Docker sends them. */
    public ObjectNode json(Container c, Sample now, Sample previous) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", c.name());
        o.put("id", c.id());
        o.put("read", now == null ? Times.ZERO : Times.format(now.read()));
        o.put("preread", previous == null ? Times.ZERO : Times.format(previous.read()));
        CgroupStats s = now == null ? null : now.stats();
        ObjectNode pids = o.putObject("pids_stats");
        if (s != null) {
            pids.put("current", s.pids());
            if (s.pidsLimit() > 0) {
                pids.put("limit", s.pidsLimit());
            }
        }
        ObjectNode blkio = o.putObject("blkio_stats");
        if (s != null) {
            var arr = blkio.putArray("io_service_bytes_recursive");
            arr.addObject().put("major", 0).put("minor", 0).put("op", "read").put("value", s.blkioRead());
            arr.addObject().put("major", 0).put("minor", 0).put("op", "write").put("value", s.blkioWrite());
        } else {
            blkio.putNull("io_service_bytes_recursive");
        }
        o.put("num_procs", 0);
        o.putObject("storage_stats");
        cpu(o.putObject("cpu_stats"), s);
        cpu(o.putObject("precpu_stats"), previous == null ? null : previous.stats());
        ObjectNode mem = o.putObject("memory_stats");
        if (s != null) {
            mem.put("usage", s.memoryUsage());
            mem.putObject("stats").put("cache", s.memoryCache()).put("inactive_file", s.memoryCache())
                    .put("total_inactive_file", s.memoryCache());
            mem.put("limit", s.memoryLimit());
        }
        if (s != null && c.state().pid() > 0) {
            ObjectNode nets = networks(c.state().pid());
            if (nets != null) {
                o.set("networks", nets);
            }
        }
        return o;
    }

    private static void cpu(ObjectNode cpu, CgroupStats s) {
        ObjectNode usage = cpu.putObject("cpu_usage");
        usage.put("total_usage", s == null ? 0 : s.cpuTotalNanos());
        usage.put("usage_in_kernelmode", 0);
        usage.put("usage_in_usermode", s == null ? 0 : s.cpuTotalNanos());
        if (s != null) {
            cpu.put("system_cpu_usage", s.systemCpuNanos());
            cpu.put("online_cpus", s.onlineCpus());
        }
        cpu.putObject("throttling_data").put("periods", 0).put("throttled_periods", 0).put("throttled_time", 0);
    }

    /** Interfaces of the container's network namespace except loopback; null when it has none (--network none). */
    static ObjectNode networks(int pid) {
        Path dev = Path.of("/proc", Integer.toString(pid), "net", "dev");
        List<String> lines;
        try {
            lines = Files.readAllLines(dev);
        } catch (IOException e) {
            return null;
        }
        return parseNetDev(lines);
    }

    static ObjectNode parseNetDev(List<String> lines) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (name.equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                continue;
            }
            ObjectNode n = out.putObject(name);
            n.put("rx_bytes", Long.parseLong(f[0])).put("rx_packets", Long.parseLong(f[1]))
                    .put("rx_errors", Long.parseLong(f[2])).put("rx_dropped", Long.parseLong(f[3]))
                    .put("tx_bytes", Long.parseLong(f[8])).put("tx_packets", Long.parseLong(f[9]))
                    .put("tx_errors", Long.parseLong(f[10])).put("tx_dropped", Long.parseLong(f[11]));
        }
        return out.isEmpty() ? null : out;
    }

    /** The sample of a running container; 409 otherwise isn't Docker's way (it streams zeroes), so callers decide. */
    public static void requireKnown(Container c) {
        if (c.state().status().equals(ContainerState.REMOVING)) {
            throw new ConflictException("container " + c.shortName() + " is being removed");
        }
    }
}
