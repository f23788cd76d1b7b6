package dev.skiff.build.copy;

import dev.skiff.sys.OverlayMarks;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The context files a COPY shares with its layer instead of copying them. A file of the build context that
 * the layer would hold exactly as it is (same mode, owner 0:0, mtime, no xattrs) need not be written a second
 * time: the context lives on the same filesystem as the step's snapshot and nothing writes to either once they
 * are made, so the layer's name can be a hardlink to the context's inode. A 50 MiB COPY then costs a link per
 * file instead of 50 MiB of writes.
 *
 * <p>overlayfs cannot link across its mount, so {@link TreeWriter} writes nothing through the mounted rootfs for
 * such a file: it makes sure the file's directory is in the upper directory (made or copied up through the
 * overlay), answers the copy's later look-ups of that name from here, and notes the pair; once the snapshot is
 * unmounted, {@link #into} makes each link in the upper directory (in place of the whiteout the copy left where
 * it replaced a lower layer's file), then gives back the directory mtimes the copy set, which linking changed.
 * No file is created and deleted on the way: on ext4, inodes freed recently make allocating new ones slow. A
 * link that the filesystems refuse (the context elsewhere, a bind mount between) falls back to a copy with the
 * same metadata, so the layer is the same either way.
 */
public final class UpperLinks {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /**
     * The file's path relative to the rootfs, to the context file it is to be (the copy's entry, which names it
     * without a path object of its own: a COPY of 100,000 files notes 100,000); a later entry of a name wins.
     */
    private final Map<String, CopyItem.Entry> links = new LinkedHashMap<>();
    private final List<DirTime> dirTimes = new ArrayList<>();

    private record DirTime(String rel, FileTime mtime) {
    }

    void add(String rel, CopyItem.Entry source) {
        links.remove(rel); // keep the order of the last write of each name
        links.put(rel, source);
    }

    /** The name is written through the overlay after all (a later entry of the same copy). */
    void forget(String rel) {
        links.remove(rel);
    }

    boolean has(String rel) {
        return links.containsKey(rel);
    }

    void dirTime(String rel, FileTime mtime) {
        dirTimes.add(new DirTime(rel, mtime));
    }

    public boolean isEmpty() {
        return links.isEmpty();
    }

    public int size() {
        return links.size();
    }

    /** Makes the links in {@code upper}, the snapshot's upper directory, once the overlay is unmounted. */
    public void into(Path upper) throws IOException {
        if (links.isEmpty()) {
            return;
        }
        for (Map.Entry<String, CopyItem.Entry> l : links.entrySet()) {
            Path target = upper.resolve(l.getKey());
            if (!Files.isDirectory(target.getParent(), NOFOLLOW)) {
                throw new IOException("the directory of " + l.getKey() + " is not in the layer");
            }
            clear(target);
            Path source = l.getValue().source();
            try {
                Files.createLink(target, source);
            } catch (FileSystemException e) {
                copy(source, target);
            }
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Path dir = upper.resolve(dirTimes.get(i).rel());
            if (Files.isDirectory(dir, NOFOLLOW)) {
                Syscalls.setModifiedTime(dir, dirTimes.get(i).mtime());
            }
        }
    }

    /**
     * Removes the whiteout the copy left at {@code target} when it replaced a file of a lower layer (the new file
     * takes its place, hiding the lower one as the whiteout did); anything else there is not ours to replace.
     */
    private static void clear(Path target) throws IOException {
        if (!Files.exists(target, NOFOLLOW)) {
            return;
        }
        if (!OverlayMarks.isWhiteout(target)) {
            throw new IOException(target + " exists in the layer already");
        }
        Files.delete(target);
    }

    /** What the link would have given: the content, mode, owner and mtime of the context file. */
    private static void copy(Path source, Path target) throws IOException {
        Files.copy(source, target, NOFOLLOW, StandardCopyOption.REPLACE_EXISTING);
        Map<String, Object> unix = Files.readAttributes(source, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW);
        Syscalls.chmod(target, (Integer) unix.get("mode") & 07777);
        Syscalls.lchown(target, (Integer) unix.get("uid"), (Integer) unix.get("gid"));
        Syscalls.setModifiedTime(target, (FileTime) unix.get("lastModifiedTime"));
    }
}
