package dev.skiff.image;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies the Dockerfile instructions `docker import --change` and `docker commit --change` allow
 * (CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR) to a config.
 * Exec (JSON) and shell forms are both read, as the Dockerfile reference describes.
 */
public final class ConfigChanges {
    private String user;
    private Map<String, Object> exposedPorts;
    private List<String> env;
    private List<String> entrypoint;
    private List<String> cmd;
    private Map<String, Object> volumes;
    private String workingDir;
    private Map<String, String> labels;
    private String stopSignal;
    private List<String> onBuild;
    private Map<String, Object> healthcheck;
    private final ImageConfig.Config base;

    private ConfigChanges(ImageConfig.Config base) {
        this.base = base;
        if (base != null) {
            user = base.user();
            exposedPorts = copy(base.exposedPorts());
            env = base.env() == null ? null : new ArrayList<>(base.env());
            entrypoint = base.entrypoint();
            cmd = base.cmd();
            volumes = copy(base.volumes());
            workingDir = base.workingDir();
            labels = base.labels() == null ? null : new LinkedHashMap<>(base.labels());
            stopSignal = base.stopSignal();
            onBuild = base.onBuild() == null ? null : new ArrayList<>(base.onBuild());
            healthcheck = base.healthcheck();
        }
    }

    /** {@code base} (may be null) with {@code changes} applied in order. */
    public static ImageConfig.Config apply(ImageConfig.Config base, List<String> changes) {
        ConfigChanges c = new ConfigChanges(base);
        for (String change : changes == null ? List.<String>of() : changes) {
            if (!change.isBlank()) {
                c.apply(change.strip());
            }
        }
        return c.build();
    }

    private void apply(String change) {
        String[] parts = change.split("\\s+", 2);
        String instruction = parts[0].toUpperCase(Locale.ROOT);
        String rest = parts.length > 1 ? parts[1].strip() : "";
        switch (instruction) {
            case "CMD" -> cmd = commandForm(rest);
            case "ENTRYPOINT" -> entrypoint = commandForm(rest);
            case "ENV" -> keyValues(rest, true).forEach(this::setEnv);
            case "LABEL" -> {
                labels = labels == null ? new LinkedHashMap<>() : labels;
                labels.putAll(keyValues(rest, false));
            }
            case "EXPOSE" -> {
                exposedPorts = exposedPorts == null ? new LinkedHashMap<>() : exposedPorts;
                for (String port : ShellWords.split(rest)) {
                    exposedPorts.put(port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp", Map.of());
                }
            }
            case "VOLUME" -> {
                volumes = volumes == null ? new LinkedHashMap<>() : volumes;
                for (String v : rest.startsWith("[") ? jsonArray(rest, instruction) : ShellWords.split(rest)) {
                    volumes.put(v, Map.of());
                }
            }
            case "USER" -> user = rest;
            case "WORKDIR" -> workingDir = rest.startsWith("/") || workingDir == null
                    ? rest : workingDir.replaceAll("/+$", "") + "/" + rest;
            case "STOPSIGNAL" -> stopSignal = rest;
            case "HEALTHCHECK" -> healthcheck = healthcheck(rest);
            case "ONBUILD" -> {
                onBuild = onBuild == null ? new ArrayList<>() : onBuild;
                onBuild.add(rest);
            }
            // lower-cased, as dockerd names it (its Dockerfile parser lower-cases instruction names)
            default -> throw new InvalidArgumentException(parts[0].toLowerCase(java.util.Locale.ROOT)
                    + " is not a valid change command (use CMD,"
                    + " ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME or WORKDIR)");
        }
    }

    private static List<String> commandForm(String rest) {
        if (rest.startsWith("[")) {
            try {
                return List.of(Json.MAPPER.readValue(rest, String[].class));
            } catch (java.io.IOException e) {
                // not valid JSON: Docker then takes it as the shell form
            }
        }
        return List.of("/bin/sh", "-c", rest);
    }

    /**
     * {@code NONE}, or {@code [--interval=D] [--timeout=D] [--start-period=D] [--start-interval=D] [--retries=N]
     * CMD command} as in a Dockerfile: the config's Healthcheck, durations in nanoseconds.
     */
    private static Map<String, Object> healthcheck(String rest) {
        Map<String, Object> hc = new LinkedHashMap<>();
        String remaining = rest;
        Map<String, String> flags = new LinkedHashMap<>();
        while (remaining.startsWith("--")) {
            String[] split = remaining.split("\\s+", 2);
            int eq = split[0].indexOf('=');
            String name = eq < 0 ? split[0].substring(2) : split[0].substring(2, eq);
            if (eq < 0 || !List.of("interval", "timeout", "start-period", "start-interval", "retries").contains(name)) {
                throw new InvalidArgumentException("HEALTHCHECK " + rest + ": unknown flag " + split[0]
                        + " (use --interval, --timeout, --start-period, --start-interval or --retries with =VALUE)");
            }
            flags.put(name, split[0].substring(eq + 1));
            remaining = split.length > 1 ? split[1].strip() : "";
        }
        String[] typeAndCommand = remaining.split("\\s+", 2);
        String type = typeAndCommand[0].toUpperCase(Locale.ROOT);
        String command = typeAndCommand.length > 1 ? typeAndCommand[1].strip() : "";
        if (type.equals("NONE") && command.isEmpty() && flags.isEmpty()) {
            hc.put("Test", List.of("NONE"));
            return hc;
        }
        if (!type.equals("CMD") || command.isEmpty()) {
            throw new InvalidArgumentException("HEALTHCHECK " + rest + ": use NONE, or CMD and a command");
        }
        List<String> test = new ArrayList<>();
        if (command.startsWith("[")) {
            test.add("CMD");
            test.addAll(jsonArray(command, "HEALTHCHECK CMD"));
        } else {
            test.addAll(List.of("CMD-SHELL", command));
        }
        hc.put("Test", test);
        for (String name : List.of("interval", "timeout", "start-period", "start-interval")) {
            String value = flags.get(name);
            if (value != null) {
                java.time.Duration d = dev.skiff.sys.GoDuration.parse(value).filter(x -> !x.isNegative())
                        .orElseThrow(() -> new InvalidArgumentException("HEALTHCHECK --" + name + "=" + value
                                + ": not a duration (e.g. 30s, 1m30s)"));
                hc.put(switch (name) {
                    case "interval" -> "Interval";
                    case "timeout" -> "Timeout";
                    case "start-period" -> "StartPeriod";
                    default -> "StartInterval";
                }, d.toNanos());
            }
        }
        String retries = flags.get("retries");
        if (retries != null) {
            try {
                hc.put("Retries", Integer.parseUnsignedInt(retries));
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("HEALTHCHECK --retries=" + retries + ": not a count");
            }
        }
        return hc;
    }

    private static List<String> jsonArray(String rest, String instruction) {
        try {
            return List.of(Json.MAPPER.readValue(rest, String[].class));
        } catch (java.io.IOException e) {
            throw new InvalidArgumentException(instruction + " " + rest + ": not a JSON array of strings");
        }
    }

    /** "k=v k2='v 2'", or the legacy one-pair form "k v with spaces". */
    private static Map<String, String> keyValues(String rest, boolean legacyForm) {
        Map<String, String> pairs = new LinkedHashMap<>();
        List<String> words = ShellWords.split(rest);
        if (words.isEmpty()) {
            throw new InvalidArgumentException("missing key=value in change \"" + rest + "\"");
        }
        String firstRaw = rest.split("\\s+", 2)[0];
        if (!firstRaw.contains("=")) {
            String[] kv = rest.split("\\s+", 2);
            if (kv.length < 2 && !legacyForm) {
                throw new InvalidArgumentException("LABEL " + rest + ": expected key=value");
            }
            pairs.put(kv[0], kv.length > 1 ? String.join(" ", ShellWords.split(kv[1])) : "");
            return pairs;
        }
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new InvalidArgumentException("\"" + word + "\" in \"" + rest + "\": expected key=value");
            }
            pairs.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return pairs;
    }

    private void setEnv(String key, String value) {
        env = env == null ? new ArrayList<>() : env;
        env.removeIf(e -> e.equals(key) || e.startsWith(key + "="));
        env.add(key + "=" + value);
    }

    private ImageConfig.Config build() {
        ImageConfig.Config b = base;
        return new ImageConfig.Config(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
                b == null ? null : b.argsEscaped(), healthcheck, onBuild,
                b == null ? null : b.shell());
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }
}
