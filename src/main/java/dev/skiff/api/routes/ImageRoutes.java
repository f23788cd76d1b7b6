package dev.skiff.api.routes;

import dev.skiff.api.http.ApiVersions;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.QueryFilters;
import dev.skiff.api.http.Router;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.SkiffException;
import dev.skiff.image.Image;
import dev.skiff.image.ImageDiskUsage;
import dev.skiff.image.ImageService;
import dev.skiff.image.ImageUsers;
import dev.skiff.image.ImportOptions;
import dev.skiff.image.Progress;
import dev.skiff.image.PruneResult;
import dev.skiff.image.Reference;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The /images endpoints of the Docker Engine API over an {@link ImageService}. */
public final class ImageRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ImageRoutes.class);
    private final ImageService images;
    private final ImageUsers imageUsers;

    /**
     * @param imageUsers the containers and builds of each image, which keep it from removal
     *                   without force and never pruned
     */
    public ImageRoutes(ImageService images, ImageUsers imageUsers) {
        this.images = images;
        this.imageUsers = imageUsers;
    }

    /** Fixed paths first: "{name...}" would otherwise also match "/images/json". */
    public void register(Router router) {
        router.add("GET", "/images/json", this::list)
                .add("POST", "/images/create", this::create)
                .add("POST", "/images/load", this::load)
                .add("GET", "/images/get", this::saveMany)
                .add("POST", "/images/prune", this::prune)
                .add("GET", "/images/{name...}/json", this::inspect)
                .add("GET", "/images/{name...}/history", this::history)
                .add("GET", "/images/{name...}/get", this::saveOne)
                .add("POST", "/images/{name...}/tag", this::tag)
                .add("DELETE", "/images/{name...}", this::remove);
    }

    void list(HttpRequest req, HttpResponse res) throws IOException {
        boolean all = req.queryBool("all", false);
        Map<String, List<String>> filters = req.filters();
        Predicate<Image> filter = ImageFilters.forList(filters, images);
        List<Image> list = images.list();
        // shared-size=1 (API 1.42): each image's bytes that other images share, counted over every image
        ImageDiskUsage disk = req.queryBool("shared-size", false) ? ImageDiskUsage.of(list, images::layers) : null;
        // Without all, untagged intermediate images (parents of others) stay hidden, as in Docker.
        res.json(200, (all ? list : ImageFilters.topLevel(list)).stream()
                .filter(filter).map(i -> ImageFilters.onlyMatchingTags(i, filters)).map(i -> {
                    Map<String, Object> row = ImageJson.summary(i);
                    if (disk != null) {
                        row.put("SharedSize", disk.sharedSize(i.id()));
                    }
                    return withVirtualSize(req, row);
                }).toList());
    }

    void inspect(HttpRequest req, HttpResponse res) throws IOException {
        Image image = images.resolve(req.pathParam("name"));
        res.json(200, withContainerConfig(req, image, withVirtualSize(req, ImageJson.inspect(image,
                images.layerDirs(image), images.lastTagTime(image.id())))));
    }

    /**
     * API 1.45 dropped Container and ContainerConfig (the configuration of the container an image was committed
     * from); dockerd still sends them to a client of an older version. docker-compose 1.29 reads
     * ContainerConfig.Volumes whenever it recreates a container, at whatever version it negotiated (1.50 here):
     * dockerd 25 and later broke it so ("KeyError: 'ContainerConfig'" at every `docker-compose up` after a
     * change); Skiff answers it, known by its User-Agent, as an older version. Skiff keeps no such container
     * configuration, so the image's own stands in for it: compose then carries the image's volumes over to the new
     * container, as with an image Docker's classic builder made.
     */
    private static Map<String, Object> withContainerConfig(HttpRequest req, Image image, Map<String, Object> json) {
        boolean composeV1 = req.header("User-Agent").filter(a -> a.startsWith("docker-compose/1.")).isPresent();
        if (!ApiVersions.atLeast(req.apiVersion(), "1.45") || composeV1) {
            json.put("Container", "");
            Object config = image.config().config();
            json.put("ContainerConfig", config != null ? config : Map.of());
        }
        return json;
    }

    /**
     * API 1.44 dropped VirtualSize (long equal to Size); a client that asks for an older version still gets it, as
     * dockerd sets it for them: tools written against those versions read an image's size from it.
     */
    private static Map<String, Object> withVirtualSize(HttpRequest req, Map<String, Object> image) {
        if (!ApiVersions.atLeast(req.apiVersion(), "1.44") && image.containsKey("Size")) {
            image.put("VirtualSize", image.get("Size"));
        }
        return image;
    }

    void history(HttpRequest req, HttpResponse res) throws IOException {
        res.json(200, images.history(req.pathParam("name")).stream().map(ImageJson::history).toList());
    }

    void tag(HttpRequest req, HttpResponse res) throws IOException {
        String repo = req.query("repo").orElse("");
        if (repo.isBlank()) {
            throw new InvalidArgumentException("tag " + req.pathParam("name") + ": the repo parameter is missing (docker tag SOURCE TARGET)");
        }
        String tag = req.query("tag").orElse("");
        images.tag(req.pathParam("name"), tag.isBlank() ? repo : repo + ":" + tag);
        res.empty(201);
    }

    void remove(HttpRequest req, HttpResponse res) throws IOException {
        res.json(200, images.remove(req.pathParam("name"), req.queryBool("force", false),
                req.queryBool("noprune", false), imageUsers).stream().map(ImageJson::removed).toList());
    }

    void prune(HttpRequest req, HttpResponse res) throws IOException {
        Map<String, List<String>> filters = req.filters();
        PruneResult result = images.prune(ImageFilters.pruneAll(filters), ImageFilters.forPrune(filters), imageUsers);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ImagesDeleted", result.removed().isEmpty() ? null : result.removed().stream().map(ImageJson::removed).toList());
        body.put("SpaceReclaimed", result.spaceReclaimed());
        res.json(200, body);
    }

    /**
     * Import (fromSrc=-, the body is a rootfs tar). Pulls (fromImage) are {@link RegistryRoutes}', which is
     * registered first and hands imports to this; a router without it cannot pull.
     */
    void create(HttpRequest req, HttpResponse res) throws IOException {
        if (req.query("fromImage").filter(s -> !s.isBlank()).isPresent()) {
            throw new NotFoundException("pull " + req.query("fromImage").get() + ": this API serves no registry client"
                    + " (load the image with docker load, or import a rootfs with docker import)");
        }
        String src = req.query("fromSrc").orElseThrow(() -> new InvalidArgumentException(
                "POST /images/create needs fromImage (pull) or fromSrc (import)"));
        if (!src.equals("-")) {
            throw new InvalidArgumentException("import from " + src + ": only fromSrc=- (the request body) is supported;"
                    + " download the file and pipe it: docker import - < rootfs.tar");
        }
        String repo = req.query("repo").orElse("");
        String tag = req.query("tag").orElse("");
        String ref = repo.isBlank() ? null : tag.isBlank() ? repo : repo + ":" + tag;
        if (ref != null) {
            Reference.parse(ref); // a bad name is a plain 400, before any of the body is read
        }
        ImportOptions options = new ImportOptions(ref, req.queryAll("changes"), req.query("message").orElse(null),
                req.query("platform").filter(p -> !p.isBlank()).orElse(null));
        JsonMessageStream stream = new JsonMessageStream(res);
        try {
            Image image = images.importRootfs(req.body(), options, stream);
            stream.status(image.id());
        } catch (SkiffException e) {
            failMidStream(stream, e);
        }
        stream.close();
    }

    void load(HttpRequest req, HttpResponse res) throws IOException {
        JsonMessageStream stream = new JsonMessageStream(res);
        Progress progress = req.queryBool("quiet", false) ? stream.messagesOnly() : stream;
        try {
            for (Image image : images.load(req.body(), progress)) {
                if (image.repoTags().isEmpty()) {
                    stream.stream("Loaded image ID: " + image.id() + "\n");
                }
                for (String tag : ImageJson.familiar(image.repoTags())) {
                    stream.stream("Loaded image: " + tag + "\n");
                }
            }
        } catch (SkiffException e) {
            failMidStream(stream, e);
        }
        stream.close();
    }

    private static void failMidStream(JsonMessageStream stream, SkiffException e) {
        if (!stream.started()) {
            throw e; // nothing sent yet: a proper HTTP error status
        }
        stream.error(e.getMessage());
    }

    void saveMany(HttpRequest req, HttpResponse res) throws IOException {
        save(req.queryAll("names"), res);
    }

    void saveOne(HttpRequest req, HttpResponse res) throws IOException {
        save(List.of(req.pathParam("name")), res);
    }

    private void save(List<String> names, HttpResponse res) throws IOException {
        for (String name : names) {
            images.resolve(name); // unknown names are a 404, not a broken tar
        }
        LazyStream out = new LazyStream(res);
        try {
            images.save(names, out);
        } catch (RuntimeException e) {
            if (res.committed()) {
                // Part of the tar is out: the connection is cut (not ended) so the client fails instead of keeping a
                // short archive, and the reason can only go to the log.
                LOG.warn("save of {} failed part way: {}", names, e.getMessage());
            }
            throw e;
        }
        out.close(); // ends the response: only a complete archive
    }

    /** Starts the tar response on the first byte, so a failure before it can still be an HTTP error. */
    private static final class LazyStream extends OutputStream {
        private final HttpResponse response;
        private OutputStream out;

        LazyStream(HttpResponse response) {
            this.response = response;
        }

        private OutputStream out() throws IOException {
            if (out == null) {
                out = response.stream(200, "application/x-tar");
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (out != null) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            out().close();
        }
    }
}
