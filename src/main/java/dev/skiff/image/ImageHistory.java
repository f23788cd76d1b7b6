package dev.skiff.image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * `docker history`: one row per history entry, newest first. A row carries an image ID only where a
 * local image ends at that entry (the image itself and its parents); the rest show "&lt;missing&gt;".
 */
final class ImageHistory {
    static final String MISSING = "<missing>";

    private ImageHistory() {
    }

    static List<HistoryEntry> of(LocalImageService store, Image image) {
        List<ImageConfig.History> history = image.config().history() == null ? List.of() : image.config().history();
        List<Layer> layers = store.layers(image);
        Map<Integer, Image> owners = new HashMap<>();
        for (Image i = image; i != null; i = i.parent().isEmpty() ? null : store.find(i.parent()).orElse(null)) {
            int n = i.config().history() == null ? 0 : i.config().history().size();
            if (n > 0) {
                owners.putIfAbsent(n - 1, i);
            }
        }
        List<HistoryEntry> rows = new ArrayList<>();
        int layer = 0;
        for (int idx = 0; idx < history.size(); idx++) {
            ImageConfig.History h = history.get(idx);
            long size = 0;
            if (!Boolean.TRUE.equals(h.emptyLayer()) && layer < layers.size()) {
                size = layers.get(layer++).size();
            }
            Image owner = owners.get(idx);
            rows.addFirst(new HistoryEntry(owner == null ? MISSING : owner.id(), created(h, image),
                    h.createdBy() == null ? "" : h.createdBy(), owner == null ? List.of() : owner.repoTags(), size,
                    h.comment() == null ? "" : h.comment()));
        }
        if (rows.isEmpty()) {
            rows.add(new HistoryEntry(image.id(), image.created(), "", image.repoTags(), image.size(), ""));
        }
        return rows;
    }

    private static Instant created(ImageConfig.History h, Image image) {
        ImageConfig probe = new ImageConfig(null, null, null, h.created(), null, null, null, null, null, null);
        return ImageConfigs.created(probe, image.created());
    }
}
