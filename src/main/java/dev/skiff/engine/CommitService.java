package dev.skiff.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.image.CommitRequest;
import dev.skiff.image.Image;
import dev.skiff.image.ImageConfig;
import dev.skiff.sys.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * docker commit: the container's upper directory becomes a new layer on its image; the new image's config is
 * the container's Config, overridden by the request's config and then by Dockerfile-style changes.
 */
public final class CommitService {
    private final ContainerService containers;

    public CommitService(ContainerService containers) {
        this.containers = containers;
    }

    /** What POST /commit carries. */
    public record Options(String reference, String comment, String author, boolean pause, List<String> changes,
                          ObjectNode config) {
    }

    public Image commit(String idOrName, Options o) {
        Container c = containers.get(idOrName);
        ObjectNode cfg = c.config().deepCopy();
        if (o.config() != null) {
            o.config().properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    cfg.set(e.getKey(), e.getValue());
                }
            });
        }
        for (String change : o.changes()) {
            apply(cfg, change);
        }
        ImageConfig.Config imageConfig = toImageConfig(cfg);
        boolean paused = false;
        if (o.pause() && c.state().running() && !c.state().paused()) {
            containers.runtime().pause(c.id());
            paused = true;
        }
        try {
            String createdBy = String.join(" ", ConfigMerger.strings(c.config().get("Cmd")));
            Image image = containers.images().commit(new CommitRequest(c.imageId(),
                    containers.snapshotter().upperDir(c.id()), imageConfig, createdBy, o.author(), o.comment(),
                    o.reference()));
            containers.events().publishContainer(c, "commit", Map.of("comment", o.comment() == null ? "" : o.comment(),
                    "imageID", image.id()));
            return image;
        } finally {
            if (paused) {
                containers.runtime().resume(c.id());
            }
        }
    }

    static ImageConfig.Config toImageConfig(ObjectNode cfg) {
        ObjectNode img = JsonNodeFactory.instance.objectNode();
        for (String f : List.of("User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels",
                "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild", "Shell")) {
            JsonNode v = cfg.get(f);
            if (v != null && !v.isNull()) {
                img.set(f, v);
            }
        }
        return Json.MAPPER.convertValue(img, ImageConfig.Config.class);
    }

    /** Applies one Dockerfile instruction of `docker commit --change`. */
    static void apply(ObjectNode cfg, String change) {
        String line = change.trim();
        int sp = line.indexOf(' ');
        if (sp < 0) {
            throw new InvalidArgumentException("invalid change " + change + ": use a Dockerfile instruction like CMD [\"sh\"]");
        }
        String op = line.substring(0, sp).toUpperCase(Locale.ROOT);
        String arg = line.substring(sp + 1).trim();
        switch (op) {
            case "CMD" -> cfg.set("Cmd", Json.MAPPER.valueToTree(commandForm(arg)));
            case "ENTRYPOINT" -> cfg.set("Entrypoint", Json.MAPPER.valueToTree(commandForm(arg)));
            case "ENV" -> {
                String kv = arg.contains("=") ? arg : arg.replaceFirst("\\s+", "=");
                cfg.set("Env", ConfigMerger.mergeEnv(ConfigMerger.strings(cfg.get("Env")), List.of(unquoteValue(kv))));
            }
            case "LABEL" -> {
                int eq = arg.indexOf('=');
                ObjectNode labels = cfg.get("Labels") instanceof ObjectNode l ? l : cfg.putObject("Labels");
                labels.put(unquote(eq < 0 ? arg : arg.substring(0, eq)), eq < 0 ? "" : unquote(arg.substring(eq + 1)));
            }
            case "EXPOSE" -> {
                ObjectNode ports = cfg.get("ExposedPorts") instanceof ObjectNode p ? p : cfg.putObject("ExposedPorts");
                for (String port : arg.split("\\s+")) {
                    ports.putObject(port.contains("/") ? port : port + "/tcp");
                }
            }
            case "VOLUME" -> {
                ObjectNode vols = cfg.get("Volumes") instanceof ObjectNode v ? v : cfg.putObject("Volumes");
                for (String vol : arg.startsWith("[") ? commandForm(arg) : List.of(arg.split("\\s+"))) {
                    vols.putObject(vol);
                }
            }
            case "USER" -> cfg.put("User", arg);
            case "WORKDIR" -> cfg.put("WorkingDir", arg);
            case "STOPSIGNAL" -> cfg.put("StopSignal", arg);
            case "ONBUILD" -> {
                List<String> on = ConfigMerger.strings(cfg.get("OnBuild"));
                on.add(arg);
                cfg.set("OnBuild", Json.MAPPER.valueToTree(on));
            }
            default -> throw new InvalidArgumentException(op + " is not a valid change command (use CMD, ENTRYPOINT, ENV, "
                    + "EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME or WORKDIR)");
        }
    }

    /** JSON exec form, or shell form wrapped in /bin/sh -c. */
    static List<String> commandForm(String arg) {
        if (arg.startsWith("[")) {
            try {
                return Json.MAPPER.readValue(arg, new TypeReference<List<String>>() { });
            } catch (java.io.IOException e) {
                // not JSON after all: Docker treats it as shell form
            }
        }
        return List.of("/bin/sh", "-c", arg);
    }

    private static String unquoteValue(String kv) {
        int eq = kv.indexOf('=');
        return kv.substring(0, eq) + "=" + unquote(kv.substring(eq + 1));
    }

    private static String unquote(String s) {
        String t = s.trim();
        if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }
}
