package dev.skiff.image;

import dev.skiff.errors.ConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * `docker rmi` and `docker image prune` with dockerd's rules (daemon/images/image_delete.go): a name untags; an image
 * goes when its last reference goes; an ID deletes when at most one repository refers to it. Conflicts are hard
 * (child images, a running container: --force cannot override them) or soft (other references, a stopped container),
 * and are checked before anything is untagged. A forced removal of an image a stopped container still uses deletes
 * the image, as dockerd does, but keeps its layers for the container (retained, see
 * {@link LocalImageService#releaseUnused}) until the last such container is removed. Callers hold the store lock.
 */
final class ImageDeleter {
    private static final int CHILD = 1, RUNNING = 2, REFERENCED = 4, STOPPED = 8;
    private static final int HARD = CHILD | RUNNING, SOFT = REFERENCED | STOPPED;

    private final LocalImageService store;
    private final ImageUsers users;
    private final List<RemovedEntry> entries = new ArrayList<>();
    private long reclaimed;

    ImageDeleter(LocalImageService store, ImageUsers users) {
        this.store = store;
        this.users = users == null ? ImageUsers.NONE : users;
    }

    /** A conflict found by {@link #conflict}: hard ones cannot be forced; used ones come from a container. */
    private record Conflict(String id, boolean hard, boolean used, String reason) {
        ConflictException exception() {
            return new ConflictException("conflict: unable to delete " + shortId(id) + " ("
                    + (hard ? "cannot be forced" : "must be forced") + ") - " + reason);
        }
    }

    List<RemovedEntry> remove(String nameOrId, boolean force, boolean prune) {
        String id = store.findId(nameOrId).orElseThrow(() -> LocalImageService.noSuchImage(nameOrId));
        List<String> refs = refs(id);
        boolean quiet = false;
        if (!isIdPrefix(id, nameOrId)) {
            Reference ref = Reference.parse(nameOrId);
            if (!force && isSingleReference(refs)) {
                java.util.Optional<String> user = users.running(id).or(() -> users.stopped(id));
                if (user.isPresent()) {
                    // untagging would leave the image dangling under a container: the user must say so
                    throw new ConflictException("conflict: unable to remove repository reference \"" + nameOrId
                            + "\" (must force) - container " + shortId(user.get()) + " is using its referenced image "
                            + shortId(id));
                }
            }
            String key = ref.digest() != null ? ref.name() + "@" + ref.digest() : ref.withDefaultTag().toString();
            untag(id, key);
            if (ref.digest() == null) {
                dropDigestsOfUntaggedRepository(id, ref.name());
            }
            if (!refs(id).isEmpty()) {
                return entries;
            }
            quiet = true; // the name was the point; the image itself goes only if nothing keeps it
        } else if (isSingleReference(refs)) {
            // by ID with one name (plus its digests): that name goes with the image, once nothing conflicts
            Conflict c = conflict(id, force ? HARD : HARD | (SOFT & ~REFERENCED));
            if (c != null) {
                throw c.exception();
            }
            refs.forEach(r -> untag(id, r));
        }
        delete(id, force, prune, quiet);
        return entries;
    }

    PruneResult prune(boolean all, Predicate<Image> filter) {
        for (Image image : store.list()) {
            if (store.records.get(image.id()).isEmpty()) {
                continue; // went already, as the parent of one pruned before it: reported once
            }
            if (!children(image.id()).isEmpty() || users.inUse(image.id()) || !filter.test(image)) {
                continue;
            }
            List<String> refs = refs(image.id());
            if (!image.repoTags().isEmpty() && !all) {
                continue; // dangling means without a tag: an image pulled by digest only goes too, as with dockerd
            }
            try {
                refs.forEach(r -> untag(image.id(), r));
                delete(image.id(), false, true, false);
            } catch (ConflictException e) {
                // an image that cannot go quietly stays, as in Docker's prune
            }
        }
        return new PruneResult(List.copyOf(entries), reclaimed);
    }

    /** dockerd's imageDeleteHelper: conflicts first, then every reference, the image, its layers, its parents. */
    private void delete(String id, boolean force, boolean prune, boolean quiet) {
        Conflict c = conflict(id, force ? HARD : HARD | SOFT);
        if (c != null) {
            if (quiet && (!dangling(id) || c.used())) {
                return; // what was asked (an untag) is done; the image stays for what still needs it
            }
            throw c.exception();
        }
        String parent = store.records.get(id).map(ImageRecords.Row::parent).orElse("");
        refs(id).forEach(r -> untag(id, r));
        if (users.inUse(id)) {
            store.records.retain(id); // forced past a stopped container: gone as an image, its layers kept for it
        } else {
            store.records.delete(id);
            store.forgetConfig(id);
        }
        entries.add(RemovedEntry.deleted(id));
        store.emit("delete", id, Map.of());
        for (Layer layer : store.collectGarbage()) {
            entries.add(RemovedEntry.deleted(layer.chainId().toString()));
            reclaimed += layer.size();
        }
        if (prune && !parent.isEmpty() && store.records.get(parent).isPresent()) {
            delete(parent, false, true, true); // parents go only if nothing at all keeps them
        }
    }

    /** The first conflict of those in {@code mask}, in dockerd's order; null when there is none. */
    private Conflict conflict(String id, int mask) {
        if ((mask & CHILD) != 0 && !children(id).isEmpty()) {
            return new Conflict(id, true, false, "image has dependent child images");
        }
        if ((mask & RUNNING) != 0) {
            java.util.Optional<String> running = users.running(id);
            if (running.isPresent()) {
                return new Conflict(id, true, true, "image is being used by running container " + shortId(running.get()));
            }
            if (users.building(id)) {
                return new Conflict(id, true, true,
                        "image is being used by a build in progress (remove it once the build is done)");
            }
        }
        if ((mask & REFERENCED) != 0 && !refs(id).isEmpty()) {
            return new Conflict(id, false, false, "image is referenced in multiple repositories");
        }
        if ((mask & STOPPED) != 0) {
            java.util.Optional<String> stopped = users.stopped(id);
            if (stopped.isPresent()) {
                return new Conflict(id, false, true, "image is being used by stopped container " + shortId(stopped.get()));
            }
        }
        return null;
    }

    private boolean dangling(String id) {
        return refs(id).isEmpty() && children(id).isEmpty();
    }

    private void untag(String id, String ref) {
        boolean removed = store.records.untag(ref) || store.records.removeRepoDigest(ref);
        if (removed) {
            String familiar = Reference.parse(ref).familiar();
            entries.add(RemovedEntry.untagged(familiar));
            store.emit("untag", id, Map.of("name", id)); // dockerd names the image, not the tag that went
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

    /** "be0be2258449" of "sha256:be0be2258449..." or of a container's bare ID. */
    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }
}
