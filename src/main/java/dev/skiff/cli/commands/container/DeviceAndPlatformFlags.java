package dev.skiff.cli.commands.container;

import dev.skiff.cli.commands.CliFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * run's and create's flags that the daemon judges (--storage-opt, --gpus) and the Windows-only ones the docker CLI
 * refuses against a Linux daemon before it sends anything.
 */
final class DeviceAndPlatformFlags {
    @Option(names = "--storage-opt", paramLabel = "list", description = "Storage driver options for the container")
    List<String> storageOpts = new ArrayList<>();

    @Option(names = "--gpus", paramLabel = "gpu-request", description = "GPU devices to add to the container ('all' to pass all GPUs)")
    List<String> gpus = new ArrayList<>();

    @Option(names = "--cpu-count", paramLabel = "int", description = "CPU count (Windows only)")
    String cpuCount;

    @Option(names = "--cpu-percent", paramLabel = "int", description = "CPU percent (Windows only)")
    String cpuPercent;

    @Option(names = "--io-maxbandwidth", paramLabel = "bytes", description = "Maximum IO bandwidth limit for the system drive (Windows only)")
    String ioMaxBandwidth;

    @Option(names = "--io-maxiops", paramLabel = "uint", description = "Maximum IOps limit for the system drive (Windows only)")
    String ioMaxIops;

    /** Adds StorageOpt and DeviceRequests; refuses the Windows-only flags as the docker CLI does on Linux (exit 1). */
    void addTo(Map<String, Object> h) {
        String[][] windowsOnly = {{"--cpu-count", cpuCount}, {"--cpu-percent", cpuPercent},
                {"--io-maxbandwidth", ioMaxBandwidth}, {"--io-maxiops", ioMaxIops}};
        for (String[] f : windowsOnly) {
            if (f[1] != null) {
                throw CliFailure.of("\"" + f[0] + "\" is only supported on a daemon running on windows, but the Skiff daemon "
                        + "is running on linux", 1);
            }
        }
        if (!storageOpts.isEmpty()) {
            Map<String, String> opts = new LinkedHashMap<>();
            for (String o : storageOpts) {
                int eq = o.indexOf('=');
                if (eq < 0) {
                    throw CliFailure.invalid("invalid storage option");
                }
                opts.put(o.substring(0, eq), o.substring(eq + 1));
            }
            h.put("StorageOpt", opts);
        }
        if (!gpus.isEmpty()) {
            List<Map<String, Object>> requests = new ArrayList<>();
            for (String g : gpus) {
                requests.add(gpuRequest(g));
            }
            h.put("DeviceRequests", requests);
        }
    }

    /** docker's GpuOpts: "all", a count, or driver=, count=, device=, capabilities=, options= fields. */
    static Map<String, Object> gpuRequest(String value) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("Driver", "");
        req.put("Count", 0);
        req.put("DeviceIDs", null);
        req.put("Capabilities", null);
        req.put("Options", null);
        List<String> seen = new ArrayList<>();
        for (String field : MountFlags.csv(value)) {
            int eq = field.indexOf('=');
            String key = eq < 0 ? field : field.substring(0, eq);
            String val = eq < 0 ? null : field.substring(eq + 1);
            if (seen.contains(key)) {
                throw bad(value, "gpu request key '" + key + "' can be specified only once");
            }
            seen.add(key);
            if (val == null) {
                seen.add("count");
                req.put("Count", count(value, key));
                continue;
            }
            switch (key) {
                case "driver" -> req.put("Driver", val);
                case "count" -> req.put("Count", count(value, val));
                case "device" -> req.put("DeviceIDs", List.of(val.split(",")));
                case "capabilities" -> {
                    List<String> caps = new ArrayList<>(List.of(val.split(",")));
                    caps.add("gpu");
                    req.put("Capabilities", List.of(caps));
                }
                case "options" -> {
                    Map<String, String> options = new LinkedHashMap<>();
                    for (String kv : MountFlags.csv(val)) {
                        int e = kv.indexOf('=');
                        options.put(e < 0 ? kv : kv.substring(0, e), e < 0 ? "" : kv.substring(e + 1));
                    }
                    req.put("Options", options);
                }
                default -> throw bad(value, "unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (!seen.contains("count") && req.get("DeviceIDs") == null) {
            req.put("Count", 1);
        }
        if (req.get("Options") == null) {
            req.put("Options", Map.of());
        }
        if (req.get("Capabilities") == null) {
            req.put("Capabilities", List.of(List.of("gpu")));
        }
        return req;
    }

    private static int count(String flagValue, String s) {
        if (s.equals("all")) {
            return -1;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw bad(flagValue, "invalid count (" + s + "): value must be either \"all\" or an integer: invalid syntax");
        }
    }

    private static CliFailure bad(String value, String why) {
        return CliFailure.usage("invalid argument \"" + value + "\" for \"--gpus\" flag: " + why);
    }
}
