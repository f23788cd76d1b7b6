package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.Units;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker update: new resource limits and restart policy for one or more containers, running or not. */
@Command(name = "update", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]",
        description = "Update configuration of one or more containers")
public final class UpdateCommand extends EachContainerCommand {
    @Option(names = "--blkio-weight", paramLabel = "uint16", description = "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)")
    Integer blkioWeight;

    @Option(names = "--cpu-period", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) period")
    Long cpuPeriod;

    @Option(names = "--cpu-quota", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) quota")
    Long cpuQuota;

    @Option(names = "--cpu-rt-period", paramLabel = "int", description = "Limit the CPU real-time period in microseconds")
    Long cpuRtPeriod;

    @Option(names = "--cpu-rt-runtime", paramLabel = "int", description = "Limit the CPU real-time runtime in microseconds")
    Long cpuRtRuntime;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "int", description = "CPU shares (relative weight)")
    Long cpuShares;

    @Option(names = "--cpus", paramLabel = "decimal", description = "Number of CPUs")
    String cpus;

    @Option(names = "--cpuset-cpus", paramLabel = "string", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "string", description = "MEMs in which to allow execution (0-3, 0,1)")
    String cpusetMems;

    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit")
    String memory;

    @Option(names = "--memory-reservation", paramLabel = "bytes", description = "Memory soft limit")
    String memoryReservation;

    @Option(names = "--memory-swap", paramLabel = "bytes", description = "Swap limit equal to memory plus swap: -1 to enable unlimited swap")
    String memorySwap;

    @Option(names = "--pids-limit", paramLabel = "int", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;

    @Option(names = "--restart", paramLabel = "string", description = "Restart policy to apply when a container exits")
    String restart;

    private Map<String, Object> body;

    UpdateCommand(CliContext ctx) {
        super(ctx);
    }

    /** The POST /containers/{id}/update body: only the flags given (the daemon keeps the rest). */
    Map<String, Object> body() {
        Map<String, Object> b = new LinkedHashMap<>();
        putIf(b, "BlkioWeight", blkioWeight);
        putIf(b, "CpuPeriod", cpuPeriod);
        putIf(b, "CpuQuota", cpuQuota);
        putIf(b, "CpuRealtimePeriod", cpuRtPeriod);
        putIf(b, "CpuRealtimeRuntime", cpuRtRuntime);
        putIf(b, "CpuShares", cpuShares);
        if (cpus != null) {
            b.put("NanoCpus", CreateBody.nanoCpus(cpus));
        }
        putIf(b, "CpusetCpus", cpusetCpus);
        putIf(b, "CpusetMems", cpusetMems);
        if (memory != null) {
            b.put("Memory", bytes("-m, --memory", memory));
        }
        if (memoryReservation != null) {
            b.put("MemoryReservation", bytes("--memory-reservation", memoryReservation));
        }
        if (memorySwap != null) {
            b.put("MemorySwap", memorySwap.equals("-1") ? -1L : bytes("--memory-swap", memorySwap));
        }
        putIf(b, "PidsLimit", pidsLimit);
        if (restart != null) {
            b.put("RestartPolicy", CreateBody.restartPolicy(restart, false));
        }
        if (b.isEmpty()) {
            throw CliFailure.of("you must provide one or more flags when using this command", 1);
        }
        return b;
    }

    private static void putIf(Map<String, Object> b, String field, Object value) {
        if (value != null) {
            b.put(field, value);
        }
    }

    private static long bytes(String flag, String value) {
        try {
            return Units.ramInBytes(value);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
        }
    }

    @Override
    String act(Api api, String container) throws IOException {
        if (body == null) {
            body = body();
        }
        JsonNode answer = api.post(Query.path("/containers/%s/update", container), body);
        if (answer != null) {
            for (JsonNode w : answer.path("Warnings")) {
                ctx.err().println(w.asText());
            }
        }
        return container;
    }
}
