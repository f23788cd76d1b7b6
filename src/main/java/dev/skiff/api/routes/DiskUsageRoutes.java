package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.api.http.Router;
import dev.skiff.engine.Container;
import dev.skiff.engine.Engine;
import dev.skiff.engine.volume.VolumeService;
import dev.skiff.image.Image;
import dev.skiff.image.ImageDiskUsage;
import dev.skiff.image.ImageService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /system/df, as `docker system df` reads it: the images' layers counted once (LayersSize), each image with
 * its size, the part of it other images share and how many containers use it, containers with their
 * writable-layer sizes, volumes with their sizes and reference counts, and the build cache.
 */
public final class DiskUsageRoutes {
    private final Engine engine;
    private final ImageService images;
    private final ContainerViews views;
    private final VolumeService volumes;
    private java.util.function.Supplier<List<?>> buildCache = List::of;

    public DiskUsageRoutes(Engine engine, ImageService images) {
        this(engine, images, null);
    }

    /** @param volumes the volume service for the Volumes section, or null when there is none */
    public DiskUsageRoutes(Engine engine, ImageService images, VolumeService volumes) {
        this.engine = engine;
        this.images = images;
        this.views = new ContainerViews(engine);
        this.volumes = volumes;
    }

    /** The BuildCache rows (the builder's records and cache mounts). */
    public DiskUsageRoutes withBuildCache(java.util.function.Supplier<List<?>> rows) {
        this.buildCache = rows;
        return this;
    }

    public void register(Router router) {
        router.add("GET", "/system/df", (rq, rs) -> rs.json(200, usage(types(rq))));
    }

    /** The kinds of object to count: {@code type} (repeated; API 1.42+), else all, as dockerd reads it. */
    static java.util.Set<String> types(dev.skiff.api.http.HttpRequest rq) {
        List<String> asked = rq.queryAll("type");
        if (asked.isEmpty() || !dev.skiff.api.http.ApiVersions.atLeast(rq.apiVersion(), "1.42")) {
            return ALL;
        }
        for (String t : asked) {
            if (!ALL.contains(t)) {
                throw new dev.skiff.errors.InvalidArgumentException("unknown object type: " + t);
            }
        }
        return java.util.Set.copyOf(asked);
    }

    static final java.util.Set<String> ALL = java.util.Set.of("container", "image", "volume", "build-cache");

    Map<String, Object> usage() {
        return usage(ALL);
    }

    /** Only {@code types} are counted (a layer walk, a writable-layer walk each, volume sizes); the rest are null. */
    Map<String, Object> usage(java.util.Set<String> types) {
        Map<String, Object> df = new LinkedHashMap<>();
        boolean wantImages = types.contains("image");
        List<Container> containers = wantImages || types.contains("container")
                ? List.copyOf(engine.containers().all()) : List.of();
        ArrayNode imageRows = null;
        long layersSize = 0;
        if (wantImages) {
            // the images `docker images` lists, as dockerd counts them (a classic build's step images are not;
            // their layers are all their children's, so the layer total is the same)
            List<Image> all = ImageFilters.topLevel(images.list());
            ImageDiskUsage disk = ImageDiskUsage.of(all, images::layers);
            imageRows = JsonNodeFactory.instance.arrayNode();
            for (Image image : all) {
                Map<String, Object> row = new LinkedHashMap<>(ImageJson.summary(image));
                row.put("SharedSize", disk.sharedSize(image.id()));
                row.put("Containers", containers.stream().filter(c -> c.imageId().equals(image.id())).count());
                imageRows.addPOJO(row);
            }
            layersSize = disk.layersSize();
        }
        ArrayNode containerRows = null;
        if (types.contains("container")) {
            containerRows = JsonNodeFactory.instance.arrayNode();
            for (Container c : containers) {
                containerRows.add(views.summary(c, true));
            }
        }
        df.put("LayersSize", layersSize);
        df.put("Images", imageRows);
        df.put("Containers", containerRows);
        df.put("Volumes", !types.contains("volume") ? null : volumes == null ? List.of()
                : volumes.list(Map.of()).stream().map(v -> VolumeRoutes.json(v, volumes.usage(v))).toList());
        df.put("BuildCache", types.contains("build-cache") ? buildCache.get() : null);
        return df;
    }
}
