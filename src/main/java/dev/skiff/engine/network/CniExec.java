package dev.skiff.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.UnavailableException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a network configuration list the way a CNI runtime does (CNI spec 1.0): each plugin in turn is executed
 * with CNI_COMMAND and friends in its environment and its own configuration on stdin, ADD passing each result as
 * the next plugin's prevResult, DEL going through the list backwards.
 */
final class CniExec {
    static final String VERSION = "1.0.0";
    private static final long TIMEOUT_SECONDS = 30;

    private final Path pluginDir;

    CniExec(Path pluginDir) {
        this.pluginDir = pluginDir;
    }

    Path pluginDir() {
        return pluginDir;
    }

    /** ADD through the list; returns the last plugin's result. */
    JsonNode add(String name, List<ObjectNode> plugins, String containerId, Path netns, String ifName) {
        return add(name, plugins, null, containerId, netns, ifName);
    }

    /** ADD through the list, the first plugin getting {@code prevResult} (null for none). */
    JsonNode add(String name, List<ObjectNode> plugins, JsonNode prevResult, String containerId, Path netns,
                 String ifName) {
        JsonNode prev = prevResult;
        for (ObjectNode p : plugins) {
            ObjectNode conf = conf(name, p);
            if (prev != null) {
                conf.set("prevResult", prev);
            }
            prev = run("ADD", conf, containerId, netns, ifName);
        }
        return prev;
    }

    /** DEL backwards through the list; every plugin runs even when one fails, then the first failure is thrown. */
    void del(String name, List<ObjectNode> plugins, String containerId, Path netns, String ifName) {
        UnavailableException first = null;
        for (int i = plugins.size() - 1; i >= 0; i--) {
            try {
                run("DEL", conf(name, plugins.get(i)), containerId, netns, ifName);
            } catch (UnavailableException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static ObjectNode conf(String name, ObjectNode plugin) {
        ObjectNode conf = plugin.deepCopy();
        conf.put("cniVersion", VERSION);
        conf.put("name", name);
        return conf;
    }

    private JsonNode run(String command, ObjectNode conf, String containerId, Path netns, String ifName) {
        String type = conf.path("type").asText();
        Path plugin = pluginDir.resolve(type);
        if (!Files.isExecutable(plugin)) {
            throw new UnavailableException("CNI plugin " + type + " not found in " + pluginDir
                    + " (install containernetworking-plugins: bin/install-deps)");
        }
        ProcessBuilder pb = new ProcessBuilder(plugin.toString()).redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netns == null ? "" : netns.toString());
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_PATH", pluginDir.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(Json.MAPPER.writeValueAsBytes(conf));
            }
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readNBytes(1 << 20);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new UnavailableException("CNI plugin " + type + " " + command + " did not finish in "
                        + TIMEOUT_SECONDS + "s");
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                String msg = text;
                try {
                    JsonNode err = Json.MAPPER.readTree(text);
                    msg = err.path("msg").asText(text) + (err.path("details").asText("").isEmpty() ? ""
                            : ": " + err.path("details").asText());
                } catch (IOException e) {
                    // not JSON: the raw output says it
                }
                throw new UnavailableException("CNI plugin " + type + " " + command + " failed: " + msg);
            }
            return text.isEmpty() ? null : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UnavailableException("cannot run CNI plugin " + plugin + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while running CNI plugin " + type, e);
        }
    }
}
