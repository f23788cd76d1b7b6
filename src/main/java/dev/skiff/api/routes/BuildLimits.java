package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.engine.SpecBuilder;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.io.IOException;

/**
 * POST /build's limits for the RUN steps' containers (dockerd gives its classic builder's step containers the same
 * HostConfig fields): memory, memswap, cpushares, cpuperiod, cpuquota, cpusetcpus, cpusetmems and ulimits, and
 * their confinement, securityopt and cgroupparent, read into such a HostConfig and checked by a container's rules
 * ({@link SpecBuilder#stepLimits}).
 */
final class BuildLimits {
    private BuildLimits() {
    }

    /** The RUN steps' cgroup limits and rlimits the query names, checked by a container's rules. */
    static SpecBuilder.StepLimits of(HttpRequest rq) {
        ObjectNode h = Json.MAPPER.createObjectNode();
        long memory = number(rq, "memory", "a number");
        long swap = number(rq, "memswap", "a number");
        long shares = number(rq, "cpushares", "a number");
        if (swap > 0 && memory <= 0) {
            throw new InvalidArgumentException("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (shares < 0) {
            throw new InvalidArgumentException("invalid cpushares " + shares + ": want a positive number");
        }
        h.put("Memory", memory);
        h.put("MemorySwap", swap);
        h.put("CpuShares", shares);
        h.put("CpuPeriod", number(rq, "cpuperiod", "a number"));
        h.put("CpuQuota", Math.max(0, number(rq, "cpuquota", "a number"))); // -1, unlimited, is no quota
        h.put("CpusetCpus", rq.query("cpusetcpus").map(String::strip).orElse(""));
        h.put("CpusetMems", rq.query("cpusetmems").map(String::strip).orElse(""));
        h.set("Ulimits", ulimits(rq));
        // repeated, as the docker CLI sends it (url.Values), not JSON
        h.set("SecurityOpt", Json.MAPPER.valueToTree(rq.queryAll("securityopt").stream().filter(o -> !o.isBlank()).toList()));
        h.put("CgroupParent", rq.query("cgroupparent").map(String::strip).orElse(""));
        return SpecBuilder.stepLimits(h);
    }

    /** The docker CLI's --ulimit list: [{"Name":"nofile","Soft":1024,"Hard":2048}]. */
    private static JsonNode ulimits(HttpRequest rq) {
        String v = rq.query("ulimits").orElse("").strip();
        if (v.isEmpty() || v.equals("null")) {
            return Json.MAPPER.createArrayNode();
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
        return list;
    }

    /** A byte count parameter (builder prune's space limits): 0 when absent, never negative. */
    static long bytes(HttpRequest rq, String name) {
        long n = number(rq, name, "a number of bytes");
        if (n < 0) {
            throw new InvalidArgumentException("invalid " + name + " " + n + ": want a number of bytes");
        }
        return n;
    }

    /** A whole-number parameter, 0 when absent; {@code want} says what it should be ("a number of bytes"). */
    static long number(HttpRequest rq, String name, String want) {
        String v = rq.query(name).orElse("").strip();
        if (v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid " + name + " \"" + v + "\": want " + want);
        }
    }
}
