package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.api.http.Router;
import dev.skiff.engine.Container;
import dev.skiff.engine.Engine;
import dev.skiff.image.Image;
import dev.skiff.image.ImageService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /system/df, as `docker system df` reads it: images with their sizes and how many containers use
 * them, containers with their writable-layer sizes. Volumes and the build cache come with their issues;
 * until then they are honestly empty.
 */
public final class DiskUsageRoutes {
    private final Engine engine;
    private final ImageService images;
    private final ContainerViews views;

    public DiskUsageRoutes(Engine engine, ImageService images) {
        this.engine = engine;
        this.images = images;
        this.views = new ContainerViews(engine);
    }

    public void register(Router router) {
        router.add("GET", "/system/df", (rq, rs) -> rs.json(200, usage()));
    }

    Map<String, Object> usage() {
        List<Container> containers = List.copyOf(engine.containers().all());
        long layersSize = 0;
        ArrayNode imageRows = JsonNodeFactory.instance.arrayNode();
        for (Image image : images.list()) {
            Map<String, Object> row = new LinkedHashMap<>(ImageJson.summary(image));
            row.put("Containers", containers.stream().filter(c -> c.imageId().equals(image.id())).count());
            imageRows.addPOJO(row);
            layersSize += image.size();
        }
        ArrayNode containerRows = JsonNodeFactory.instance.arrayNode();
        for (Container c : containers) {
            containerRows.add(views.summary(c, true));
        }
        Map<String, Object> df = new LinkedHashMap<>();
        df.put("LayersSize", layersSize);
        df.put("Images", imageRows);
        df.put("Containers", containerRows);
        df.put("Volumes", List.of());
        df.put("BuildCache", List.of());
        return df;
    }
}
