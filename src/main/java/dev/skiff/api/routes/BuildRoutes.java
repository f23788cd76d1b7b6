package dev.skiff.api.routes;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.build.BuildOutput;
import dev.skiff.build.BuildRequest;
import dev.skiff.build.BuildService;
import dev.skiff.build.StepFailedException;
import dev.skiff.build.exec.Cancellation;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.SkiffException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /build as the legacy builder answers it (streamed {"stream": ...} messages, {"aux": {"ID": ...}}, and an
 * {"errorDetail": ...} message on failure) and POST /build/prune. A client that goes away cancels its build.
 */
public final class BuildRoutes {
    /** Skiff's extension for build secrets (the legacy API has none): base64 of a JSON object {id: base64 data}. */
    public static final String SECRETS_HEADER = "X-Skiff-Build-Secrets";
    private static final int MAX_SECRETS_HEADER = 512 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(BuildRoutes.class);

    private final BuildService builds;
    private java.util.function.Supplier<String> hostGateway = () -> "";

    public BuildRoutes(BuildService builds) {
        this.builds = builds;
    }

    /** What "host-gateway" in the build's --add-host stands for (the default bridge's gateway). */
    public BuildRoutes withHostGateway(java.util.function.Supplier<String> gateway) {
        this.hostGateway = gateway;
        return this;
    }

    public void register(Router router) {
        // The context is read on the builder's own platform thread (ReceivingContext), which may block on the socket.
        router.addUpload("POST", "/build", this::build)
                .add("POST", "/build/prune", this::prune)
                .add("POST", "/session", (rq, rs) -> {
                    throw new InvalidArgumentException("this daemon has no BuildKit: build with the classic builder"
                            + " (set DOCKER_BUILDKIT=0, or use skiff build)");
                });
    }

    void build(HttpRequest rq, HttpResponse rs) throws IOException {
        if (rq.query("version").filter("2"::equals).isPresent()) {
            throw new InvalidArgumentException("BuildKit (builder version 2) is not supported by this daemon: build"
                    + " with the classic builder (set DOCKER_BUILDKIT=0, or use skiff build)");
        }
        BuildRequest request = request(rq, hostGateway);
        String remote = rq.query("remote").filter(r -> !r.isBlank()).orElse(null);
        JsonMessageStream stream = new JsonMessageStream(rs);
        Cancellation cancel = new Cancellation();
        // under way for the daemon's shutdown until the answer below is written, not only until the build returns
        Runnable untrack = builds.track(cancel);
        Thread watcher = Thread.ofVirtual().name("build-client-watch").start(() -> watchClient(rq, cancel));
        QuietText quiet = request.quiet() ? new QuietText() : null;
        BuildOutput output = output(stream, quiet);
        try {
            String id;
            if (remote == null) {
                id = builds.build(request, rq.body(), output, cancel);
            } else {
                try (InputStream context = remoteContext(remote, request, output, cancel)) {
                    id = builds.build(request, context, output, cancel);
                }
            }
            if (request.quiet()) {
                stream.stream(id + "\n");
            }
        } catch (StepFailedException e) {
            if (quiet != null) {
                quiet.writeTo(stream);
            }
            stream.error(e.getMessage(), e.exitCode());
        } catch (Cancellation.BuildCancelledException e) {
            if (rq.clientGone()) {
                LOG.info("build cancelled: the client went away");
            } else { // only the daemon's shutdown cancels a build whose client is still there
                stream.error("the build was cancelled: the daemon is shutting down (build again once it is back)", 1);
            }
        } catch (SkiffException e) {
            boolean kept = quiet != null && quiet.writeTo(stream);
            if (!kept && !stream.started()) {
                throw e;
            }
            stream.error(e.getMessage(), 1);
        } catch (UncheckedIOException e) {
            LOG.info("build stopped: {}", e.getMessage());
            cancel.cancel();
        } catch (OutOfMemoryError e) {
            // the build's own memory is free again once unwound: say so in its stream, not by a dropped connection
            LOG.error("a build ran the daemon out of memory: {}", e.getMessage());
            if (!stream.started()) {
                throw e;
            }
            stream.error("the daemon ran out of memory for this build (" + e.getMessage() + "): a context of very many"
                    + " files needs ~500 bytes of the daemon's heap each; leave files out with .dockerignore", 1);
        } finally {
            watcher.interrupt();
            untrack.run();
        }
        if (!cancel.cancelled()) {
            stream.close();
        }
    }

    /**
     * The context {@code remote} names (docker-py's build(path=URL), compose's URL contexts, curl), fetched before
     * the build as dockerd does: a URL's download shows progress (which starts the stream), a clone does not, so
     * a repository or URL that cannot be had before anything was written is this request's error (500), after
     * that an error message in the stream. A client that leaves stops the fetch.
     */
    private InputStream remoteContext(String remote, BuildRequest request, BuildOutput output, Cancellation cancel)
            throws IOException {
        try {
            return cancel.interruptibly(() -> builds.remoteContext(remote, request.dockerfile(), output));
        } catch (IOException e) {
            throw new dev.skiff.errors.UnavailableException("build context " + remote + ": " + e.getMessage(), e);
        }
    }

    private static void watchClient(HttpRequest rq, Cancellation cancel) {
        try {
            while (!cancel.cancelled()) {
                if (rq.clientGone()) {
                    cancel.cancel();
                    return;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            // the build ended
        }
    }

    /**
     * What a quiet build (q=1) printed, kept for its failure: dockerd then writes it before the error, so `docker
     * build -q` still shows the steps and the failing RUN's output. The last {@value #QUIET_KEPT} characters are kept.
     */
    static final class QuietText {
        static final int QUIET_KEPT = 1 << 20;
        private final StringBuilder text = new StringBuilder();

        synchronized void add(String s) {
            text.append(s);
            if (text.length() > 2 * QUIET_KEPT) {
                text.delete(0, text.length() - QUIET_KEPT);
            }
        }

        /** The last {@value #QUIET_KEPT} characters of what was printed. */
        synchronized String kept() {
            return text.substring(Math.max(0, text.length() - QUIET_KEPT));
        }

        /** Writes what was kept (if anything) as one stream message; whether there was any. */
        synchronized boolean writeTo(JsonMessageStream stream) {
            if (text.isEmpty()) {
                return false;
            }
            stream.stream(kept());
            text.setLength(0);
            return true;
        }
    }

    private static BuildOutput output(JsonMessageStream stream, QuietText quiet) {
        return new BuildOutput() {
            @Override
            public void stream(String text) {
                if (quiet == null) {
                    stream.stream(text);
                } else {
                    quiet.add(text);
                }
            }

            @Override
            public void progress(String id, String status, long current, long total) {
                if (quiet == null) {
                    stream.update(id, status, current, total);
                }
            }

            @Override
            public void imageId(String id) {
                stream.write(Map.of("aux", Map.of("ID", id)));
            }
        };
    }

    static BuildRequest request(HttpRequest rq) {
        return request(rq, () -> "");
    }

    static BuildRequest request(HttpRequest rq, java.util.function.Supplier<String> hostGateway) {
        if (rq.queryBool("squash", false)) {
            // dockerd's answer outside experimental mode (docker version says Experimental: false here too)
            throw new InvalidArgumentException("squash is only supported with experimental mode");
        }
        long shm = BuildLimits.number(rq, "shmsize", "a number of bytes");
        dev.skiff.engine.SpecBuilder.StepLimits limits = BuildLimits.of(rq);
        List<String> extraHosts = extraHosts(rq.queryAll("extrahosts"), hostGateway);
        List<String> noCacheStages = rq.queryAll("nocachefilter").stream()
                .flatMap(h -> List.of(h.split(",")).stream()).filter(h -> !h.isBlank()).toList();
        String platform = rq.query("platform").orElse("").strip();
        if (!platform.isEmpty()) {
            dev.skiff.registry.client.RegistryClient.normalizedPlatform(platform); // refused as dockerd refuses it
        }
        List<String> tags = rq.queryAll("t").stream().filter(t -> !t.isBlank()).toList();
        // refused before the build, as dockerd does, not after it when the image is tagged
        tags.forEach(dev.skiff.image.Reference::parseWithDefaultTag);
        return new BuildRequest(rq.query("dockerfile").orElse(null), tags, jsonMap(rq, "buildargs"),
                jsonMap(rq, "labels"), rq.query("target").orElse(""), rq.queryBool("nocache", false), noCacheStages,
                rq.queryBool("pull", false), rq.queryBool("q", false), rq.query("networkmode").orElse("default"),
                secrets(rq), extraHosts, limits.resources(), limits.rlimits(), shm,
                rq.query("platform").orElse(""), rq.header("X-Registry-Config").orElse(""), cacheFrom(rq),
                limits.sandbox());
    }

    /**
     * {@code extrahosts} as "NAME:IP" lines for the steps' /etc/hosts: repeated or comma-separated, "NAME:IP" or
     * "NAME=IP" (IPv6 may be bracketed), checked as a container's --add-host, and "host-gateway" resolved to the
     * default bridge's gateway, as dockerd does for its step containers.
     */
    static List<String> extraHosts(List<String> values, java.util.function.Supplier<String> hostGateway) {
        List<String> out = new java.util.ArrayList<>();
        for (String value : values) {
            for (String h : value.split(",")) {
                if (h.isBlank()) {
                    continue;
                }
                String[] nameIp = dev.skiff.engine.EtcFiles.resolveExtraHost(h.strip(), hostGateway);
                out.add(nameIp[0] + ":" + nameIp[1]);
            }
        }
        return out;
    }

    /** {@code cachefrom}: a JSON array of image references, as the docker CLI sends --cache-from. */
    private static List<String> cacheFrom(HttpRequest rq) {
        String v = rq.query("cachefrom").orElse("");
        if (v.isBlank()) {
            return List.of();
        }
        try {
            List<String> refs = Json.MAPPER.readValue(v, new TypeReference<List<String>>() { });
            return refs == null ? List.of() : refs.stream().filter(r -> r != null && !r.isBlank()).toList();
        } catch (IOException e) {
            throw new InvalidArgumentException("invalid cachefrom \"" + v + "\": want a JSON array of image references");
        }
    }

    private static Map<String, String> jsonMap(HttpRequest rq, String name) {
        String v = rq.query(name).orElse("");
        if (v.isBlank()) {
            return Map.of();
        }
        InvalidArgumentException notAnObject = new InvalidArgumentException("invalid " + name + " \"" + v
                + "\": want a JSON object of strings");
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(v);
        } catch (IOException e) {
            throw notAnObject;
        }
        if (tree.isNull()) {
            return Map.of();
        }
        if (!tree.isObject()) {
            throw notAnObject;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (var e : tree.properties()) {
            // a string, or null (a build arg named without a value), as Go's map[string]*string takes them; a number
            // was read as its text
            if (!e.getValue().isTextual() && !e.getValue().isNull()) {
                throw new InvalidArgumentException("invalid " + name + " \"" + v + "\": the value of " + e.getKey()
                        + " is not a string");
            }
            m.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        return m;
    }

    static Map<String, byte[]> secrets(HttpRequest rq) {
        String header = rq.header(SECRETS_HEADER).orElse("");
        if (header.isBlank()) {
            return Map.of();
        }
        if (header.length() > MAX_SECRETS_HEADER) {
            throw new InvalidArgumentException("the build secrets are too large (at most " + MAX_SECRETS_HEADER
                    + " bytes encoded): mount big files with RUN --mount=type=bind instead");
        }
        try {
            byte[] json = Base64.getDecoder().decode(header.strip());
            Map<String, String> encoded = Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() { });
            Map<String, byte[]> out = new LinkedHashMap<>();
            encoded.forEach((id, data) -> out.put(id, Base64.getDecoder().decode(data)));
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArgumentException("invalid " + SECRETS_HEADER + " header: want base64 of a JSON object"
                    + " {\"id\": \"base64 data\"}");
        }
    }

    void prune(HttpRequest rq, HttpResponse rs) throws IOException {
        Map<String, List<String>> filters = rq.filters();
        Instant until = null;
        for (String name : filters.keySet()) {
            if (!name.equals("until")) {
                throw new InvalidArgumentException("invalid filter '" + name + "' for build cache prune"
                        + " (supported: until)");
            }
        }
        for (String u : filters.getOrDefault("until", List.of())) {
            until = dev.skiff.engine.Times.parseApiTime(u, Instant.now());
        }
        // --reserved-space (its old name: --keep-storage), --max-used-space, --min-free-space, in bytes
        long reserved = Math.max(BuildLimits.bytes(rq, "reserved-space"), BuildLimits.bytes(rq, "keep-storage"));
        BuildService.SpaceLimits limits = new BuildService.SpaceLimits(reserved, BuildLimits.bytes(rq, "max-used-space"),
                BuildLimits.bytes(rq, "min-free-space"));
        BuildService.PruneReport report = builds.prune(rq.queryBool("all", false), until, limits);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("CachesDeleted", report.deleted());
        body.put("SpaceReclaimed", report.reclaimed());
        rs.json(200, body);
    }

    /** The BuildCache rows of GET /system/df. */
    public static List<Map<String, Object>> diskUsage(BuildService builds) {
        return builds.usage().stream().map(u -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", u.id());
            m.put("Parents", u.parent() == null || u.parent().isEmpty() ? null : List.of(u.parent()));
            m.put("Type", u.type());
            m.put("Description", u.description());
            m.put("InUse", u.inUse());
            m.put("Shared", u.shared());
            m.put("Size", u.size());
            m.put("CreatedAt", u.created().toString());
            m.put("LastUsedAt", u.lastUsed() == null ? null : u.lastUsed().toString());
            m.put("UsageCount", u.usageCount());
            return m;
        }).toList();
    }
}
