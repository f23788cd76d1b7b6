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
 * (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR) to a config.
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
            case "ONBUILD" -> {
                onBuild = onBuild == null ? new ArrayList<>() : onBuild;
                onBuild.add(rest);
            }
            default -> throw new InvalidArgumentException(parts[0] + " is not a valid change command"
                    + " (use CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME or WORKDIR)");
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
                b == null ? null : b.argsEscaped(), b == null ? null : b.healthcheck(), onBuild,
                b == null ? null : b.shell());
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }
}
