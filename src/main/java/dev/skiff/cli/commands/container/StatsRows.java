package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.commands.Names;
import dev.skiff.cli.format.Row;
import dev.skiff.cli.format.Units;
import java.util.Iterator;
import java.util.Map;

/** docker stats' numbers from one stats JSON: CPU % from the two samples, memory without page cache, I/O sums. */
public final class StatsRows {
    public static final String DEFAULT_TABLE =
            "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    public static final Map<String, String> HEADERS = Map.of(
            "ID", "CONTAINER ID", "Container", "CONTAINER", "Name", "NAME", "CPUPerc", "CPU %",
            "MemUsage", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O", "BlockIO", "BLOCK I/O", "PIDs", "PIDS");

    private StatsRows() {
    }

    public static Row row(String asGiven, JsonNode s, boolean trunc) {
        double cpu = cpuPercent(s);
        double mem = memoryUsage(s.path("memory_stats"));
        double limit = s.path("memory_stats").path("limit").asDouble();
        long[] net = network(s.path("networks"));
        long[] blk = blockIo(s.path("blkio_stats").path("io_service_bytes_recursive"));
        String id = s.path("id").asText("");
        String name = s.path("name").asText("");
        return new Row("container.statsContext")
                .field("Container", () -> asGiven)
                .field("ID", () -> trunc ? Names.shortId(id) : id)
                .field("Name", () -> name.startsWith("/") ? name.substring(1) : (name.isEmpty() ? "--" : name))
                .field("CPUPerc", () -> String.format(java.util.Locale.ROOT, "%.2f%%", cpu))
                .field("MemUsage", () -> Units.bytesSize(mem) + " / " + Units.bytesSize(limit))
                .field("MemPerc", () -> String.format(java.util.Locale.ROOT, "%.2f%%", limit == 0 ? 0.0 : mem / limit * 100.0))
                .field("NetIO", () -> Units.humanSize(net[0], 3) + " / " + Units.humanSize(net[1], 3))
                .field("BlockIO", () -> Units.humanSize(blk[0], 3) + " / " + Units.humanSize(blk[1], 3))
                .field("PIDs", () -> Long.toString(s.path("pids_stats").path("current").asLong()));
    }

    /** calculateCPUPercentUnix: share of the system's CPU time since the previous sample, times online CPUs. */
    static double cpuPercent(JsonNode s) {
        JsonNode cur = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cur.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = cur.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        double online = cur.path("online_cpus").asDouble();
        if (online == 0) {
            online = cur.path("cpu_usage").path("percpu_usage").size();
        }
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * online * 100.0 : 0.0;
    }

    /** Usage minus inactive file cache (total_inactive_file on cgroup v1, inactive_file on v2). */
    static double memoryUsage(JsonNode m) {
        long usage = m.path("usage").asLong();
        JsonNode stats = m.path("stats");
        if (stats.has("total_inactive_file") && stats.path("total_inactive_file").asLong() < usage) {
            return usage - stats.path("total_inactive_file").asLong();
        }
        long inactive = stats.path("inactive_file").asLong();
        return inactive < usage ? usage - inactive : usage;
    }

    private static long[] network(JsonNode networks) {
        long rx = 0;
        long tx = 0;
        for (Iterator<JsonNode> it = networks.elements(); it.hasNext(); ) {
            JsonNode n = it.next();
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        return new long[] {rx, tx};
    }

    private static long[] blockIo(JsonNode entries) {
        long read = 0;
        long write = 0;
        for (JsonNode e : entries) {
            String op = e.path("op").asText("");
            if (op.equalsIgnoreCase("read")) {
                read += e.path("value").asLong();
            } else if (op.equalsIgnoreCase("write")) {
                write += e.path("value").asLong();
            }
        }
        return new long[] {read, write};
    }
}
