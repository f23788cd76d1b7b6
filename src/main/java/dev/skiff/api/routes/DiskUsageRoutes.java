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
        router.add("GET", "/system/df", (rq, rs) -> rs.json(200, usage()));
    }

    Map<String, Object> usage() {
        List<Container> containers = List.copyOf(engine.containers().all());
        // the images `docker images` lists, as dockerd counts them (a classic build's step images are not; their
        // layers are all their children's, so the layer total is the same)
        List<Image> all = ImageFilters.topLevel(images.list());
        ImageDiskUsage disk = ImageDiskUsage.of(all, images::layers);
        ArrayNode imageRows = JsonNodeFactory.instance.arrayNode();
        for (Image image : all) {
            Map<String, Object> row = new LinkedHashMap<>(ImageJson.summary(image));
            row.put("SharedSize", disk.sharedSize(image.id()));
            row.put("Containers", containers.stream().filter(c -> c.imageId().equals(image.id())).count());
            imageRows.addPOJO(row);
        }
        ArrayNode containerRows = JsonNodeFactory.instance.arrayNode();
        for (Container c : containers) {
            containerRows.add(views.summary(c, true));
        }
        Map<String, Object> df = new LinkedHashMap<>();
        df.put("LayersSize", disk.layersSize());
        df.put("Images", imageRows);
        df.put("Containers", containerRows);
        df.put("Volumes", volumes == null ? List.of()
                : volumes.list(Map.of()).stream().map(v -> VolumeRoutes.json(v, volumes.usage(v))).toList());
        df.put("BuildCache", buildCache.get());
        return df;
    }
}
