package dev.skiff.build;

import dev.skiff.build.cache.BuildCache;
import dev.skiff.build.cache.CacheRecord;
import dev.skiff.build.exec.CacheMounts;
import dev.skiff.build.exec.Trees;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.image.Image;
import dev.skiff.image.ImageService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The build cache as `docker system df` and `docker builder prune` see it. A step record whose image a tagged
 * image builds on is "shared": deleting it frees nothing, so plain prune keeps it and only --all drops it (the
 * images stay). A record of its own (a dangling step image) goes with its image. Cache mounts are removed when
 * no step uses them.
 */
final class CachePruner {
    private final ImageService images;
    private final BuildCache cache;
    private final CacheMounts mounts;
    private final dev.skiff.image.ImageUsers imageUsers;

    CachePruner(ImageService images, BuildCache cache, CacheMounts mounts, dev.skiff.image.ImageUsers imageUsers) {
        this.images = images;
        this.cache = cache;
        this.mounts = mounts;
        this.imageUsers = imageUsers;
    }

    synchronized BuildService.PruneReport prune(boolean all, Instant until) {
        StepImages steps = new StepImages();
        Set<String> kept = keptByTagsOrContainers(steps.byId);
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        List<CacheRecord> records = new ArrayList<>(cache.all());
        records.sort(Comparator.comparingLong(CacheRecord::createdMillis).reversed()); // children before parents
        for (CacheRecord r : records) {
            if (until != null && !Instant.ofEpochMilli(r.lastUsedMillis()).isBefore(until)) {
                continue;
            }
            boolean shared = kept.contains(r.imageId());
            if (shared && !all) {
                continue;
            }
            cache.remove(r.key());
            deleted.add(r.shortId());
            if (!shared && steps.remove(r.imageId())) {
                reclaimed += r.size();
            }
        }
        for (Path dir : mountDirs()) {
            String key = dir.getFileName().toString();
            if (mounts.inUse(key) || (until != null && !lastModified(dir).isBefore(until))) {
                continue;
            }
            long size = Trees.size(dir);
            Trees.delete(dir);
            deleted.add(key);
            reclaimed += size;
        }
        return new BuildService.PruneReport(deleted, reclaimed);
    }

    /**
     * Prunes least recently used first while {@code limits} say the cache is over (see
     * {@link BuildService#prune(boolean, Instant, BuildService.SpaceLimits)}): only what frees space counts, so a
     * shared record (which --all would drop, freeing nothing), or one whose image still has a child, is left (a child
     * removed in one pass frees its parent for the next). Records whose image is gone are dropped on the way (they
     * can never hit).
     */
    synchronized BuildService.PruneReport pruneTo(Instant until, BuildService.SpaceLimits limits,
                                                  java.util.function.LongSupplier freeSpace) {
        StepImages steps = new StepImages();
        Set<String> kept = keptByTagsOrContainers(steps.byId);
        List<String> deleted = new ArrayList<>();
        List<CacheRecord> records = new ArrayList<>();
        long used = 0;
        for (CacheRecord r : cache.all()) {
            if (!steps.byId.containsKey(r.imageId())) {
                cache.remove(r.key());
                deleted.add(r.shortId());
            } else if (!kept.contains(r.imageId())) {
                used += r.size();
                records.add(r);
            }
        }
        List<Path> idleMounts = new ArrayList<>();
        for (Path dir : mountDirs()) {
            used += Trees.size(dir);
            if (!mounts.inUse(dir.getFileName().toString())) {
                idleMounts.add(dir);
            }
        }
        long free = freeSpace.getAsLong();
        long reclaimed = 0;
        records.sort(Comparator.comparingLong(CacheRecord::lastUsedMillis)
                .thenComparing(Comparator.comparingLong(CacheRecord::createdMillis).reversed()));
        boolean progress = true;
        while (progress && limits.over(used - reclaimed, free + reclaimed)) {
            progress = false;
            for (java.util.Iterator<CacheRecord> it = records.iterator(); it.hasNext()
                    && limits.over(used - reclaimed, free + reclaimed); ) {
                CacheRecord r = it.next();
                if (until != null && !Instant.ofEpochMilli(r.lastUsedMillis()).isBefore(until)) {
                    it.remove();
                    continue;
                }
                if (!steps.removable(r.imageId())) {
                    continue;
                }
                cache.remove(r.key());
                deleted.add(r.shortId());
                if (steps.remove(r.imageId())) {
                    reclaimed += r.size();
                }
                it.remove();
                progress = true;
            }
        }
        idleMounts.sort(Comparator.comparing(CachePruner::lastModified));
        for (Path dir : idleMounts) {
            if (!limits.over(used - reclaimed, free + reclaimed)) {
                break;
            }
            if (until != null && !lastModified(dir).isBefore(until)) {
                continue;
            }
            long size = Trees.size(dir);
            Trees.delete(dir);
            deleted.add(dir.getFileName().toString());
            reclaimed += size;
        }
        return new BuildService.PruneReport(deleted, reclaimed);
    }

    /**
     * The local images by ID with how many children each has, read once per prune: whether a step image can go is
     * then a lookup, not a scan of every image for each record.
     */
    private final class StepImages {
        final Map<String, Image> byId = new HashMap<>();
        private final Map<String, Integer> children = new HashMap<>();

        StepImages() {
            images.list().forEach(i -> byId.put(i.id(), i));
            for (Image i : byId.values()) {
                if (i.parent() != null && !i.parent().isEmpty()) {
                    children.merge(i.parent(), 1, Integer::sum);
                }
            }
        }

        /** Whether removing the step image {@code id} would free it: no tag, no child image, no container. */
        boolean removable(String id) {
            Image image = byId.get(id);
            return image != null && image.repoTags().isEmpty() && !imageUsers.inUse(id)
                    && children.getOrDefault(id, 0) == 0;
        }

        /** Removes a step image that nothing else needs (no tag, no child image, no container). */
        boolean remove(String id) {
            if (!removable(id)) {
                return false;
            }
            try {
                images.remove(id, false, true, imageUsers);
            } catch (ConflictException | NotFoundException e) {
                return false;
            }
            Image gone = byId.remove(id);
            if (gone.parent() != null && !gone.parent().isEmpty()) {
                children.computeIfPresent(gone.parent(), (p, n) -> n > 1 ? n - 1 : null);
            }
            return true;
        }
    }

    /** Every image a tagged image or a container builds on, the image itself included. */
    private Set<String> keptByTagsOrContainers(Map<String, Image> byId) {
        Set<String> kept = new HashSet<>();
        for (Image i : byId.values()) {
            if (!i.repoTags().isEmpty() || imageUsers.inUse(i.id())) {
                String id = i.id();
                while (id != null && !id.isEmpty() && kept.add(id)) {
                    Image p = byId.get(id);
                    id = p == null ? null : p.parent();
                }
            }
        }
        return kept;
    }

    synchronized List<BuildService.CacheUsage> usage() {
        Map<String, Image> byId = new HashMap<>();
        images.list().forEach(i -> byId.put(i.id(), i));
        Set<String> kept = keptByTagsOrContainers(byId);
        Map<String, String> shortByImage = new HashMap<>();
        List<BuildService.CacheUsage> out = new ArrayList<>();
        List<CacheRecord> records = cache.all();
        records.forEach(r -> shortByImage.put(r.imageId(), r.shortId()));
        for (CacheRecord r : records) {
            if (!byId.containsKey(r.imageId())) {
                continue; // its image was removed: a record that can never hit again
            }
            out.add(new BuildService.CacheUsage(r.shortId(), shortByImage.getOrDefault(r.parentId(), ""), "regular",
                    r.description(), false, kept.contains(r.imageId()), r.size(),
                    Instant.ofEpochMilli(r.createdMillis()), Instant.ofEpochMilli(r.lastUsedMillis()), r.usageCount()));
        }
        for (Path dir : mountDirs()) {
            String id;
            try {
                id = Files.readString(dir.resolve("id"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                id = "?";
            }
            String key = dir.getFileName().toString();
            out.add(new BuildService.CacheUsage(key, "", "exec.cachemount", "cached mount " + id, mounts.inUse(key),
                    false, Trees.size(dir), created(dir), lastModified(dir), 0));
        }
        return out;
    }

    private List<Path> mountDirs() {
        if (!Files.isDirectory(mounts.root())) {
            return List.of();
        }
        try (var list = Files.list(mounts.root())) {
            return list.filter(p -> Files.isDirectory(p.resolve("data"))).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Instant created(Path dir) {
        try {
            return Files.readAttributes(dir, BasicFileAttributes.class).creationTime().toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static Instant lastModified(Path dir) {
        try {
            return Files.getLastModifiedTime(dir.resolve("data")).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
