package dev.skiff.api.routes;

import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.errors.ForbiddenException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.SkiffException;
import dev.skiff.image.Digest;
import dev.skiff.image.Image;
import dev.skiff.image.ImageService;
import dev.skiff.image.Reference;
import dev.skiff.registry.client.Credentials;
import dev.skiff.registry.client.RegistryClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry side of the Docker Engine API: pull (POST /images/create?fromImage=), push
 * (POST /images/{name}/push) and login (POST /auth), with credentials from X-Registry-Auth. Registered before
 * {@link ImageRoutes}, whose import (fromSrc) it hands /images/create requests without fromImage.
 */
public final class RegistryRoutes {
    private final RegistryClient registry;
    private final ImageService images;
    private final ImageRoutes imageRoutes;

    public RegistryRoutes(RegistryClient registry, ImageService images, ImageRoutes imageRoutes) {
        this.registry = registry;
        this.images = images;
        this.imageRoutes = imageRoutes;
    }

    public void register(Router router) {
        router.add("POST", "/images/create", this::create)
                .add("POST", "/auth", this::auth)
                .add("POST", "/images/{name...}/push", this::push)
                .add("GET", "/images/search", this::search)
                .add("GET", "/distribution/{name...}/json", this::distribution);
    }

    /**
     * GET /distribution/{name}/json: the registry's descriptor of an image and its platforms, without pulling it
     * (buildx and `docker service` resolve digests with it).
     */
    void distribution(HttpRequest req, HttpResponse res) throws IOException {
        String name = req.pathParam("name");
        if (!Reference.isValid(name)) {
            throw new dev.skiff.errors.InvalidArgumentException("invalid reference format: " + name);
        }
        RegistryClient.Distribution d = registry.inspect(name,
                Credentials.fromHeader(req.header("X-Registry-Auth").orElse(null)));
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", d.mediaType());
        descriptor.put("digest", d.digest());
        descriptor.put("size", d.size());
        List<Map<String, Object>> platforms = new ArrayList<>();
        for (RegistryClient.PlatformInfo p : d.platforms()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("architecture", p.architecture());
            m.put("os", p.os());
            if (!p.variant().isEmpty()) {
                m.put("variant", p.variant());
            }
            platforms.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Descriptor", descriptor);
        out.put("Platforms", platforms);
        res.json(200, out);
    }

    /** docker search: term, limit (25 by default, at most 100), filters is-official, is-automated and stars. */
    void search(HttpRequest req, HttpResponse res) throws IOException {
        int limit = 25;
        String l = req.query("limit").orElse("").strip();
        if (!l.isEmpty()) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                throw new dev.skiff.errors.InvalidArgumentException("limit " + l + " is outside the range of [1, 100]");
            }
        }
        Map<String, List<String>> filters = req.filters();
        for (String key : filters.keySet()) {
            if (!List.of("is-official", "is-automated", "stars").contains(key)) {
                throw new dev.skiff.errors.InvalidArgumentException("invalid filter '" + key + "'");
            }
        }
        int minStars = 0;
        for (String v : filters.getOrDefault("stars", List.of())) {
            try {
                minStars = Math.max(minStars, Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new dev.skiff.errors.InvalidArgumentException("invalid filter 'stars=" + v + "'");
            }
        }
        Credentials creds = Credentials.fromHeader(req.header("X-Registry-Auth").orElse(null));
        List<Map<String, Object>> out = new ArrayList<>();
        for (RegistryClient.SearchResult r : registry.search(req.query("term").orElse(""), limit, creds)) {
            if (r.starCount() < minStars || !wanted(filters, "is-official", r.official())
                    || !wanted(filters, "is-automated", r.automated())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("description", r.description());
            m.put("is_official", r.official());
            m.put("is_automated", r.automated());
            m.put("name", r.name());
            m.put("star_count", r.starCount());
            out.add(m);
        }
        res.json(200, out);
    }

    private static boolean wanted(Map<String, List<String>> filters, String key, boolean value) {
        List<String> vs = filters.getOrDefault(key, List.of());
        return vs.isEmpty() || vs.stream().anyMatch(v -> Boolean.parseBoolean(v) == value);
    }

    void create(HttpRequest req, HttpResponse res) throws IOException {
        String from = req.query("fromImage").orElse("").strip();
        if (from.isEmpty()) {
            imageRoutes.create(req, res);
            return;
        }
        String tag = req.query("tag").orElse("").strip();
        String platform = req.query("platform").filter(p -> !p.isBlank()).orElse(null);
        Credentials creds = Credentials.fromHeader(req.header("X-Registry-Auth").orElse(null));
        Reference base = Reference.parse(from);
        List<String> refs = new ArrayList<>();
        if (!tag.isEmpty()) {
            refs.add(base.name() + (Digest.isDigest(tag) ? "@" : ":") + tag);
        } else if (!base.isNameOnly()) {
            refs.add(base.toString());
        } else {
            for (String t : registry.tags(base.name(), creds)) { // docker pull --all-tags
                refs.add(base.name() + ":" + t);
            }
        }
        JsonMessageStream stream = new JsonMessageStream(res);
        try {
            for (String ref : refs) {
                registry.pull(ref, platform, creds, stream);
            }
        } catch (SkiffException e) {
            failMidStream(stream, e);
        }
        stream.close();
    }

    void push(HttpRequest req, HttpResponse res) throws IOException {
        Reference name = Reference.parse(req.pathParam("name"));
        String tag = req.query("tag").orElse("").strip();
        List<String> refs = new ArrayList<>();
        if (!tag.isEmpty()) {
            refs.add(name.name() + ":" + tag);
        } else if (name.tag() != null) {
            refs.add(name.toString());
        } else {
            for (Image image : images.list()) { // docker push --all-tags
                for (String t : image.repoTags()) {
                    if (Reference.parse(t).name().equals(name.name())) {
                        refs.add(t);
                    }
                }
            }
        }
        Credentials creds = Credentials.fromHeader(req.header("X-Registry-Auth").orElse(null));
        JsonMessageStream stream = new JsonMessageStream(res);
        stream.status("The push refers to repository [" + name.name() + "]");
        try {
            // after the first line, as dockerd: the CLI then prints the error as the push's own output
            for (String ref : refs) {
                if (images.find(ref).isEmpty()) {
                    throw new NotFoundException("An image does not exist locally with the tag: "
                            + Reference.parse(ref).familiarName());
                }
            }
            if (refs.isEmpty()) {
                throw new NotFoundException("An image does not exist locally with the tag: " + name.familiarName());
            }
            for (String ref : refs) {
                RegistryClient.Pushed pushed = registry.push(ref, creds, stream);
                stream.status(pushed.tag() + ": digest: " + pushed.digest() + " size: " + pushed.size());
                Map<String, Object> aux = new LinkedHashMap<>();
                aux.put("Tag", pushed.tag());
                aux.put("Digest", pushed.digest());
                aux.put("Size", pushed.size());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("progressDetail", Map.of());
                m.put("aux", aux);
                stream.write(m);
            }
        } catch (SkiffException e) {
            failMidStream(stream, e);
        }
        stream.close();
    }

    void auth(HttpRequest req, HttpResponse res) throws IOException {
        byte[] body = req.body().readNBytes(64 * 1024);
        Credentials creds = Credentials.fromJson(body);
        try {
            registry.login(Credentials.serverAddress(body), creds);
        } catch (ForbiddenException e) {
            res.json(401, Map.of("message", e.getMessage()));
            return;
        }
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("Status", "Login Succeeded");
        ok.put("IdentityToken", "");
        res.json(200, ok);
    }

    private static void failMidStream(JsonMessageStream stream, SkiffException e) {
        if (!stream.started()) {
            throw e;
        }
        stream.error(e.getMessage());
    }
}
