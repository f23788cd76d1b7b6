package dev.skiff.image;

import dev.skiff.errors.SkiffException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the images' layers take on disk, as `docker system df` reports it: every layer counted once however
 * many images share it (LayersSize), and for each image the part of its size that other images share too
 * (SharedSize; Size minus SharedSize is what removing it alone would free).
 *
 * @param layersSize bytes of all the images' layers, each layer once
 * @param sharedSize by image ID, the bytes of its layers that another image also uses; an image whose layers
 *                   could not be read is absent (Docker's -1, "unknown")
 */
public record ImageDiskUsage(long layersSize, Map<String, Long> sharedSize) {
    /** The sizes for {@code images}, {@code layersOf} giving each image's layers (see {@link ImageService#layers}). */
    public static ImageDiskUsage of(List<Image> images, Function<Image, List<Layer>> layersOf) {
        Map<String, List<Layer>> layers = new LinkedHashMap<>();
        Map<Digest, Integer> users = new HashMap<>();
        long unreadable = 0;
        for (Image image : images) {
            List<Layer> own;
            try {
                own = layersOf.apply(image);
            } catch (SkiffException e) {
                unreadable += image.size(); // a broken image still takes its recorded size
                continue;
            }
            layers.put(image.id(), own);
            for (Layer l : own) { // a chainID names a layer with everything below it: one image lists it once
                users.merge(l.chainId(), 1, Integer::sum);
            }
        }
        Map<Digest, Long> sizes = new HashMap<>();
        layers.values().forEach(ls -> ls.forEach(l -> sizes.put(l.chainId(), l.size())));
        long total = unreadable + sizes.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> shared = new LinkedHashMap<>();
        layers.forEach((id, own) -> {
            long s = 0;
            for (Layer l : own) {
                if (users.getOrDefault(l.chainId(), 0) > 1) {
                    s += l.size();
                }
            }
            shared.put(id, s);
        });
        return new ImageDiskUsage(total, Map.copyOf(shared));
    }

    /** The image's shared bytes, or -1 when unknown. */
    public long sharedSize(String imageId) {
        Long s = sharedSize.get(imageId);
        return s == null ? -1 : s;
    }
}
