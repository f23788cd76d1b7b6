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
        // the other per-device lists dockerd's cgroup v1 stats carry, which it leaves empty on most hosts
        for (String list : List.of("io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive",
                "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive")) {
            blkio.putNull(list);
        }
        o.put("num_procs", 0);
        o.putObject("storage_stats");
        cpu(o.putObject("cpu_stats"), s);
        cpu(o.putObject("precpu_stats"), previous == null ? null : previous.stats());
        ObjectNode mem = o.putObject("memory_stats");
        if (s != null) {
            mem.put("usage", s.memoryUsage());
            if (s.memory().maxUsage() >= 0) {
                mem.put("max_usage", s.memory().maxUsage());
            }
            ObjectNode stats = mem.putObject("stats");
            if (s.memory().stat().isEmpty()) {
                stats.put("cache", s.memoryCache()).put("inactive_file", s.memoryCache())
                        .put("total_inactive_file", s.memoryCache());
            } else {
                // every row under the cgroup's own names: the docker CLI takes total_inactive_file (v1) or
                // inactive_file (v2) off the usage, and monitoring tools read rss, cache, pgfault...
                s.memory().stat().forEach(stats::put);
            }
            if (s.memory().failcnt() >= 0) {
                mem.put("failcnt", s.memory().failcnt());
            }
            mem.put("limit", limitOrHostMemory(s.memoryLimit()));
        }
        if (s != null && c.state().pid() > 0) {
            ObjectNode nets = networks(c.state().pid());
            if (nets != null) {
                o.set("networks", nets);
            }
        }
        return o;
    }

    /**
     * A container without a memory limit reports the host's memory as its limit, as dockerd does: cgroup v1's
     * "unlimited" is a page-rounded 2^63 (docker stats showed "8EiB"), and v2's "max" means the same.
     */
    static long limitOrHostMemory(long limit) {
        long host = dev.skiff.sys.MemInfo.bytes("MemTotal");
        return host > 0 && (limit <= 0 || limit > host) ? host : limit;
    }

    private static void cpu(ObjectNode cpu, CgroupStats s) {
        ObjectNode usage = cpu.putObject("cpu_usage");
        usage.put("total_usage", s == null ? 0 : s.cpuTotalNanos());
        CgroupStats.Cpu d = s == null ? CgroupStats.Cpu.NONE : s.cpu();
        if (d.perCpuNanos() != null) {
            var per = usage.putArray("percpu_usage");
            for (long n : d.perCpuNanos()) {
                per.add(n);
            }
        }
        boolean split = d.userNanos() + d.kernelNanos() > 0;
        usage.put("usage_in_kernelmode", d.kernelNanos());
        usage.put("usage_in_usermode", split || s == null ? d.userNanos() : s.cpuTotalNanos());
        if (s != null) {
            cpu.put("system_cpu_usage", s.systemCpuNanos());
            cpu.put("online_cpus", s.onlineCpus());
        }
        cpu.putObject("throttling_data").put("periods", d.periods()).put("throttled_periods", d.throttledPeriods())
                .put("throttled_time", d.throttledNanos());
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
