package dev.skiff.build.exec;

import dev.skiff.image.ImageConfig;
import java.util.List;
import java.util.Optional;

/**
 * How the classic builder matches a step against a --cache-from image (dockerd's image/cache, isValidParent and
 * getLayerForHistoryIndex): the source must begin with the parent's history and layers, and its next history
 * entry must be the step's history line. The source's next entry and its layer are then the step's.
 */
final class CacheSources {
    /**
     * A step a source gives.
     *
     * @param history the source's history entry for the step (its time, too, is kept)
     * @param diffId  the step's layer, or null for an empty_layer entry
     * @param last    whether the entry is the source's last: the source image itself is then the step's result
     */
    record Step(ImageConfig.History history, String diffId, boolean last) {
    }

    private CacheSources() {
    }

    /**
     * The step {@code createdBy} over {@code parent} (null: FROM scratch) as {@code source} has it, if it has it.
     */
    static Optional<Step> match(ImageConfig source, ImageConfig parent, String createdBy) {
        List<ImageConfig.History> history = history(source);
        if (history.isEmpty()) {
            return Optional.empty();
        }
        List<ImageConfig.History> parentHistory = history(parent);
        List<String> layers = diffIds(source);
        List<String> parentLayers = diffIds(parent);
        if (!parentHistory.isEmpty() || !parentLayers.isEmpty()) {
            if (parentHistory.size() >= history.size() || parentLayers.size() > layers.size()
                    || !history.subList(0, parentHistory.size()).equals(parentHistory)
                    || !layers.subList(0, parentLayers.size()).equals(parentLayers)) {
                return Optional.empty();
            }
        }
        int at = parentHistory.size();
        ImageConfig.History entry = history.get(at);
        if (!createdBy.equals(entry.createdBy())) {
            return Optional.empty();
        }
        String diffId = null;
        if (!Boolean.TRUE.equals(entry.emptyLayer())) {
            long index = history.subList(0, at).stream().filter(h -> !Boolean.TRUE.equals(h.emptyLayer())).count();
            if (index != parentLayers.size() || index >= layers.size()) {
                return Optional.empty(); // a history that does not count its layers right: not to be trusted
            }
            diffId = layers.get((int) index);
        }
        return Optional.of(new Step(entry, diffId, at == history.size() - 1));
    }

    private static List<ImageConfig.History> history(ImageConfig config) {
        return config == null || config.history() == null ? List.of() : config.history();
    }

    private static List<String> diffIds(ImageConfig config) {
        return config == null || config.rootfs() == null || config.rootfs().diffIds() == null ? List.of()
                : config.rootfs().diffIds();
    }
}
