package dev.skiff.cli.commands.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.format.Row;
import dev.skiff.cli.format.Units;
import java.util.List;
import java.util.Map;

/** docker system df's summary rows (Images, Containers, Local Volumes, Build Cache) from /system/df. */
final class DiskUsage {
    static final String DEFAULT_TABLE = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    static final Map<String, String> HEADERS = Map.of("Type", "TYPE", "TotalCount", "TOTAL", "Active", "ACTIVE",
            "Size", "SIZE", "Reclaimable", "RECLAIMABLE");

    private DiskUsage() {
    }

    static List<Row> rows(JsonNode df) {
        return List.of(images(df), containers(df.path("Containers")), volumes(df.path("Volumes")), buildCache(df.path("BuildCache")));
    }

    private static Row images(JsonNode df) {
        long total = df.path("LayersSize").asLong();
        long used = 0;
        int active = 0;
        for (JsonNode i : df.path("Images")) {
            if (i.path("Containers").asLong() > 0) {
                active++;
                long size = i.path("Size").asLong(-1);
                long shared = i.path("SharedSize").asLong(-1);
                if (size != -1 && shared != -1) {
                    used += size - shared;
                }
            }
        }
        return row("Images", df.path("Images").size(), active, total, total - used, true);
    }

    private static Row containers(JsonNode list) {
        long total = 0;
        long reclaimable = 0;
        int active = 0;
        for (JsonNode c : list) {
            String state = c.path("State").asText("");
            long size = c.path("SizeRw").asLong();
            total += size;
            if (state.contains("running") || state.contains("paused") || state.contains("restarting")) {
                active++;
            } else {
                reclaimable += size;
            }
        }
        return row("Containers", list.size(), active, total, reclaimable, true);
    }

    private static Row volumes(JsonNode list) {
        long total = 0;
        long reclaimable = 0;
        int active = 0;
        for (JsonNode v : list) {
            long size = v.path("UsageData").path("Size").asLong(-1);
            boolean used = v.path("UsageData").path("RefCount").asLong() > 0;
            if (used) {
                active++;
            }
            if (size > 0) {
                total += size;
                if (!used) {
                    reclaimable += size;
                }
            }
        }
        return row("Local Volumes", list.size(), active, total, reclaimable, true);
    }

    private static Row buildCache(JsonNode list) {
        long total = 0;
        long reclaimable = 0;
        int active = 0;
        for (JsonNode b : list) {
            long size = b.path("Size").asLong();
            if (b.path("InUse").asBoolean()) {
                active++;
            }
            if (!b.path("Shared").asBoolean()) {
                total += size;
                if (!b.path("InUse").asBoolean()) {
                    reclaimable += size;
                }
            }
        }
        return row("Build Cache", list.size(), active, total, reclaimable, false);
    }

    private static Row row(String type, int count, int active, long size, long reclaimable, boolean percent) {
        // docker's one context per line: diskUsageImagesContext, ...ContainersContext, ...VolumesContext, ...BuilderContext
        String context = switch (type) {
            case "Images" -> "Images";
            case "Containers" -> "Containers";
            case "Local Volumes" -> "Volumes";
            default -> "Builder";
        };
        return new Row("formatter.diskUsage" + context + "Context")
                .field("Type", () -> type)
                .field("TotalCount", () -> Integer.toString(count))
                .field("Active", () -> Integer.toString(active))
                .field("Size", () -> Units.humanSize(size))
                .field("Reclaimable", () -> percent && size > 0
                        ? Units.humanSize(reclaimable) + " (" + reclaimable * 100 / size + "%)"
                        : Units.humanSize(reclaimable));
    }
}
