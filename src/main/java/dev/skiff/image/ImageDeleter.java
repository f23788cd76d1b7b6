package dev.skiff.image;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * `docker rmi` and `docker image prune` with Docker's rules (daemon/images/image_delete.go): a name untags;
 * an image goes when its last reference goes; an ID deletes when at most one repository refers to it;
 * force overrides references and stopped containers, never child images. Callers hold the store lock.
 */
final class ImageDeleter {
    private final LocalImageService store;
    private final Predicate<String> inUse;
    private final List<RemovedEntry> entries = new ArrayList<>();
    private long reclaimed;

    ImageDeleter(LocalImageService store, Predicate<String> inUse) {
        this.store = store;
        this.inUse = inUse == null ? id -> false : inUse;
    }

    List<RemovedEntry> remove(String nameOrId, boolean force, boolean prune) {
        String id = store.findId(nameOrId).orElseThrow(() -> LocalImageService.noSuchImage(nameOrId));
        String shortId = shortId(id);
        List<String> refs = refs(id);
        if (!isIdPrefix(id, nameOrId)) {
            Reference ref = Reference.parse(nameOrId);
            String key = ref.digest() != null ? ref.name() + "@" + ref.digest() : ref.withDefaultTag().toString();
            if (!force && refs.size() == 1 && inUse.test(id)) {
                throw new ConflictException("conflict: unable to remove repository reference \"" + nameOrId
                        + "\" (must force) - a container is using its referenced image " + shortId
                        + " (remove the container first, or use --force to untag only)");
            }
            untag(id, key);
            if (ref.digest() == null) {
                dropDigestsOfUntaggedRepository(id, ref.name());
            }
            refs = refs(id);
            if (!refs.isEmpty()) {
                return entries;
            }
            // the last name is gone: delete the image too, unless something still needs it
            if (inUse.test(id) || !children(id).isEmpty()) {
                return entries;
            }
        } else if (isSingleReference(refs)) {
            // by ID with one name (plus its digests): that name goes with the image
            checkConflicts(id, shortId, force, false);
            refs.forEach(r -> untag(id, r));
        }
        deleteImage(id, force, prune);
        return entries;
    }

    PruneResult prune(boolean all, Predicate<Image> filter) {
        for (Image image : store.list()) {
            if (!children(image.id()).isEmpty() || inUse.test(image.id()) || !filter.test(image)) {
                continue;
            }
            List<String> refs = refs(image.id());
            if (!refs.isEmpty() && !all) {
                continue;
            }
            try {
                refs.forEach(r -> untag(image.id(), r));
                deleteImage(image.id(), false, true);
            } catch (ConflictException e) {
                // an image that cannot go quietly stays, as in Docker's prune
            }
        }
        return new PruneResult(List.copyOf(entries), reclaimed);
    }

    private void deleteImage(String id, boolean force, boolean prune) {
        checkConflicts(id, shortId(id), force, true);
        String parent = store.records.get(id).map(ImageRecords.Row::parent).orElse("");
        refs(id).forEach(r -> untag(id, r));
        if (inUse.test(id)) {
            // Forced, yet a container still has these layers mounted: untag only, as Docker keeps the
            // layers of a container's image; the image goes with a later rmi or prune.
            return;
        }
        store.records.delete(id);
        entries.add(RemovedEntry.deleted(id));
        store.emit("delete", id, Map.of());
        for (Layer layer : store.collectGarbage()) {
            entries.add(RemovedEntry.deleted(layer.chainId().toString()));
            reclaimed += layer.size();
        }
        if (prune && !parent.isEmpty() && store.records.get(parent).isPresent()
                && refs(parent).isEmpty() && children(parent).isEmpty() && !inUse.test(parent)) {
            deleteImage(parent, false, true);
        }
    }

    private void checkConflicts(String id, String shortId, boolean force, boolean referencesMatter) {
        if (!children(id).isEmpty()) {
            throw new ConflictException("conflict: unable to delete " + shortId
                    + " (cannot be forced) - image has dependent child images (remove them first)");
        }
        if (!force && referencesMatter && !refs(id).isEmpty()) {
            throw new ConflictException("conflict: unable to delete " + shortId
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        if (!force && inUse.test(id)) {
            throw new ConflictException("conflict: unable to delete " + shortId
                    + " (must be forced) - image is being used by a container (remove the container first)");
        }
    }

    private void untag(String id, String ref) {
        boolean removed = store.records.untag(ref) || store.records.removeRepoDigest(ref);
        if (removed) {
            String familiar = Reference.parse(ref).familiar();
            entries.add(RemovedEntry.untagged(familiar));
            store.emit("untag", id, Map.of("name", familiar));
        }
    }

    /**
     * Docker's rule: once a repository has no tag left on the image, its digest references (from a pull or push)
     * go too, so `rmi name:tag` of a pulled image deletes it.
     */
    private void dropDigestsOfUntaggedRepository(String id, String name) {
        List<Reference> left = refs(id).stream().map(Reference::parse).filter(r -> r.name().equals(name)).toList();
        if (left.stream().noneMatch(r -> r.digest() == null)) {
            left.forEach(r -> untag(id, r.name() + "@" + r.digest()));
        }
    }

    private List<String> refs(String id) {
        List<String> refs = new ArrayList<>(store.records.tags().getOrDefault(id, List.of()));
        refs.addAll(store.records.repoDigests().getOrDefault(id, List.of()));
        return refs;
    }

    private List<String> children(String id) {
        return store.records.all().stream().filter(r -> r.parent().equals(id)).map(ImageRecords.Row::id).toList();
    }

    /** At most one tag, and digests only of that tag's repository (Docker's isSingleReference). */
    private static boolean isSingleReference(List<String> refs) {
        if (refs.size() <= 1) {
            return refs.size() == 1;
        }
        List<Reference> parsed = refs.stream().map(Reference::parse).toList();
        List<Reference> tags = parsed.stream().filter(r -> r.digest() == null).toList();
        if (tags.size() > 1) {
            return false;
        }
        String name = (tags.isEmpty() ? parsed.getFirst() : tags.getFirst()).name();
        return parsed.stream().filter(r -> r.digest() != null).allMatch(r -> r.name().equals(name));
    }

    /** Whether the name given was an ID (prefix) rather than a reference that resolved. */
    private boolean isIdPrefix(String id, String given) {
        String hex = given.startsWith("sha256:") ? given.substring(7) : given;
        if (!hex.matches("[a-f0-9]{1,64}") || !id.substring(7).startsWith(hex)) {
            return false;
        }
        return !Reference.isValid(given) || store.records.byTag(Reference.parseWithDefaultTag(given).toString()).isEmpty();
    }

    private static String shortId(String id) {
        return id.substring(7, 19);
    }
}
