package dev.skiff.api.routes;

import dev.skiff.image.HistoryEntry;
import dev.skiff.image.Image;
import dev.skiff.image.ImageConfig;
import dev.skiff.image.Reference;
import dev.skiff.image.RemovedEntry;
import dev.skiff.sys.GoTimestamp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's wire shapes for images (ImageSummary, ImageInspect, HistoryResponseItem, ImageDeleteResponseItem),
 * with references in their familiar form ("busybox:latest").
 */
final class ImageJson {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ImageJson() {
    }

    static Map<String, Object> summary(Image image) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", image.id());
        m.put("ParentId", image.parent());
        m.put("RepoTags", familiar(image.repoTags()));
        m.put("RepoDigests", familiar(image.repoDigests()));
        m.put("Created", image.created().getEpochSecond());
        m.put("Size", image.size());
        m.put("SharedSize", -1);
        m.put("Labels", labels(image));
        m.put("Containers", -1);
        return m;
    }

    static Map<String, Object> inspect(Image image, List<Path> layerDirs, Instant lastTagTime) {
        ImageConfig c = image.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", image.id());
        m.put("RepoTags", familiar(image.repoTags()));
        m.put("RepoDigests", familiar(image.repoDigests()));
        m.put("Parent", image.parent());
        m.put("Comment", nullToEmpty(c.comment()));
        m.put("Created", c.created() == null ? "" : GoTimestamp.format(image.created()));
        m.put("DockerVersion", nullToEmpty(c.dockerVersion()));
        m.put("Author", nullToEmpty(c.author()));
        m.put("Config", c.config());
        m.put("Architecture", nullToEmpty(c.architecture()));
        if (c.variant() != null) {
            m.put("Variant", c.variant());
        }
        m.put("Os", nullToEmpty(c.os()));
        m.put("Size", image.size());
        m.put("GraphDriver", graphDriver(layerDirs));
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("Type", c.rootfs() == null || c.rootfs().type() == null ? "layers" : c.rootfs().type());
        rootfs.put("Layers", c.rootfs() == null || c.rootfs().diffIds() == null ? List.of() : c.rootfs().diffIds());
        m.put("RootFS", rootfs);
        m.put("Metadata", Map.of("LastTagTime",
                lastTagTime == null ? ZERO_TIME : GoTimestamp.format(lastTagTime)));
        return m;
    }

    /** overlay2's view as Docker reports it: the top layer is the "upper" one, the rest lower, top first. */
    private static Map<String, Object> graphDriver(List<Path> layerDirs) {
        // dockerd's DriverData field order: Data, then Name
        Map<String, Object> g = new LinkedHashMap<>();
        if (layerDirs.isEmpty()) {
            g.put("Data", null);
            g.put("Name", "overlay2");
            return g;
        }
        Path top = layerDirs.getLast();
        Map<String, String> data = new LinkedHashMap<>();
        if (layerDirs.size() > 1) {
            List<String> lower = new ArrayList<>();
            for (int i = layerDirs.size() - 2; i >= 0; i--) {
                lower.add(layerDirs.get(i).toString());
            }
            data.put("LowerDir", String.join(":", lower));
        }
        data.put("MergedDir", top.resolveSibling("merged").toString());
        data.put("UpperDir", top.toString());
        data.put("WorkDir", top.resolveSibling("work").toString());
        g.put("Data", data);
        g.put("Name", "overlay2");
        return g;
    }

    static Map<String, Object> history(HistoryEntry h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", h.id());
        m.put("Created", h.created().getEpochSecond());
        m.put("CreatedBy", h.createdBy());
        m.put("Tags", h.tags().isEmpty() ? null : familiar(h.tags()));
        m.put("Size", h.size());
        m.put("Comment", h.comment());
        return m;
    }

    static Map<String, String> removed(RemovedEntry e) {
        return e.untagged() != null ? Map.of("Untagged", e.untagged()) : Map.of("Deleted", e.deleted());
    }

    /** As people write them, in dockerd's order: sorted by the full reference ("docker.io/library/bb:1" first). */
    static List<String> familiar(List<String> refs) {
        return refs.stream().map(Reference::parse).sorted(java.util.Comparator.comparing(Reference::toString))
                .map(Reference::familiar).toList();
    }

    static Map<String, String> labels(Image image) {
        ImageConfig.Config c = image.config().config();
        return c == null || c.labels() == null ? Map.of() : c.labels();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
