package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * POST /build's limits for the RUN steps' containers (dockerd gives its classic builder's step containers the same
 * HostConfig fields): memory, memswap, cpushares, cpuperiod, cpuquota, cpusetcpus, cpusetmems and ulimits, checked
 * with dockerd's words for a container's.
 */
final class BuildLimits {
    private static final long MIN_MEMORY = 6 * 1024 * 1024;
    private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack", "as");

    private BuildLimits() {
    }

    static RuntimeSpec.Resources resources(HttpRequest rq) {
        long memory = number(rq, "memory");
        long swap = number(rq, "memswap");
        long shares = number(rq, "cpushares");
        long period = number(rq, "cpuperiod");
        long quota = number(rq, "cpuquota");
        if (memory > 0 && memory < MIN_MEMORY) {
            throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
        }
        if (swap > 0 && memory <= 0) {
            throw new InvalidArgumentException("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (swap > 0 && swap < memory) {
            throw new InvalidArgumentException("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (shares < 0) {
            throw new InvalidArgumentException("invalid cpushares " + shares + ": want a positive number");
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw new InvalidArgumentException("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) {
            throw new InvalidArgumentException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        String cpus = text(rq, "cpusetcpus");
        String mems = text(rq, "cpusetmems");
        if (memory == 0 && swap == 0 && shares == 0 && period == 0 && quota == 0 && cpus == null && mems == null) {
            return RuntimeSpec.Resources.NONE;
        }
        return new RuntimeSpec.Resources(memory, swap, 0, 0, shares, period, Math.max(quota, 0), cpus, mems, 0, 0);
    }

    /** The docker CLI's --ulimit list: [{"Name":"nofile","Soft":1024,"Hard":2048}]. */
    static List<RuntimeSpec.Rlimit> ulimits(HttpRequest rq) {
        String v = rq.query("ulimits").orElse("").strip();
        if (v.isEmpty() || v.equals("null")) {
            return List.of();
        }
        JsonNode list;
        try {
            list = Json.MAPPER.readTree(v);
        } catch (IOException e) {
            list = null;
        }
        if (list == null || !list.isArray()) {
            throw new InvalidArgumentException("invalid ulimits \"" + v + "\": want a JSON list of"
                    + " {\"Name\":..., \"Soft\":..., \"Hard\":...}");
        }
        List<RuntimeSpec.Rlimit> out = new ArrayList<>();
        for (JsonNode u : list) {
            String name = u.path("Name").asText("");
            long soft = u.path("Soft").asLong(0);
            long hard = u.path("Hard").asLong(0);
            if (!ULIMITS.contains(name)) {
                throw new InvalidArgumentException("invalid ulimit type: " + name);
            }
            if (hard != -1 && soft > hard) {
                throw new InvalidArgumentException("ulimit soft limit must be less than or equal to hard limit: " + soft
                        + " > " + hard);
            }
            out.add(new RuntimeSpec.Rlimit("RLIMIT_" + name.toUpperCase(Locale.ROOT), soft, hard));
        }
        return out;
    }

    /** A byte count parameter (builder prune's space limits): 0 when absent, never negative. */
    static long bytes(HttpRequest rq, String name) {
        long n = number(rq, name);
        if (n < 0) {
            throw new InvalidArgumentException("invalid " + name + " " + n + ": want a number of bytes");
        }
        return n;
    }

    private static long number(HttpRequest rq, String name) {
        String v = rq.query(name).orElse("").strip();
        if (v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid " + name + " \"" + v + "\": want a number");
        }
    }

    private static String text(HttpRequest rq, String name) {
        return rq.query(name).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }
}
