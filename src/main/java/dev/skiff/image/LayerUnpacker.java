package dev.skiff.image;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.SafePaths;
import dev.skiff.sys.Syscalls;
import dev.skiff.sys.WritebackOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one uncompressed layer tar into an empty directory the way overlay wants it: OCI whiteouts
 * become overlay whiteouts (a 0:0 character device; the opaque xattr on a directory), and ownership,
 * modes, times, xattrs, links and device nodes are kept.
 *
 * <p>Never trusts the archive: absolute names, names that climb out with "..", writes through a symlink
 * (a parent component that is a symlink) and hardlinks to outside or missing files are refused with
 * {@link InvalidArgumentException} naming the entry. Symlinks are created but never followed.
 */
final class LayerUnpacker {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private static final int COPY_BUFFER = 256 << 10;
    private final List<Deferred> directories = new ArrayList<>();
    private byte[] buffer;
    private long size;

    private LayerUnpacker(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Unpacks {@code tar} into {@code root}; returns the bytes of regular files written. */
    static long unpack(InputStream tar, Path root) throws IOException {
        LayerUnpacker unpacker = new LayerUnpacker(root);
        ZeroWatch watch = new ZeroWatch(tar);
        // Not closed: the caller drains the rest of the stream to finish its digest.
        // PaxXattrs: binary xattr values (security.capability) reach commons-compress as base64, undamaged
        TarArchiveInputStream in = new TarArchiveInputStream(PaxXattrs.reading(watch), StandardCharsets.UTF_8.name());
        int entries = 0;
        for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; entries++) {
            try {
                unpacker.entry(entry, in);
            } catch (InvalidArgumentException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException("cannot unpack layer entry " + entry.getName() + ": " + e.getMessage(), e);
            }
        }
        if (entries == 0 && (watch.count == 0 || watch.nonZero)) {
            // commons-compress reads a short or garbled first block as the end: an empty tar is all zeros
            throw new InvalidArgumentException("the layer is not a tar archive (it is empty, truncated or another format)");
        }
        // Directory times last: creating their children changed them.
        for (int i = unpacker.directories.size() - 1; i >= 0; i--) {
            Deferred d = unpacker.directories.get(i);
            setTime(d.path(), d.entry());
        }
        return unpacker.size;
    }

    private void entry(TarArchiveEntry entry, InputStream data) throws IOException {
        String name = entry.getName();
        if (name.startsWith("/")) {
            throw refuse(name, "has an absolute path");
        }
        Path target = inside(name);
        if (target.equals(root)) {
            if (entry.isDirectory()) {
                applyMetadata(root, entry);
                directories.add(new Deferred(root, entry));
            }
            return;
        }
        Path parent = ensureParents(name, target.getParent());
        String base = target.getFileName().toString();
        if (base.startsWith(WHITEOUT_PREFIX)) {
            whiteout(name, parent, base, entry);
            return;
        }
        boolean existingDir = Files.isDirectory(target, NOFOLLOW);
        if (Files.exists(target, NOFOLLOW) && !(existingDir && entry.isDirectory())) {
            deleteTree(target);
        }
        if (entry.isDirectory()) {
            if (!existingDir) {
                Files.createDirectory(target);
            }
            directories.add(new Deferred(target, entry));
        } else if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
            // a link's size is its target's length, and dockerd's layer size (directory.Size) counts it
            size += entry.getLinkName().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        } else if (entry.isLink()) {
            hardlink(name, target, entry.getLinkName());
            return; // a hardlink shares its target's inode and metadata
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            int type = entry.isCharacterDevice() ? Syscalls.S_IFCHR
                    : entry.isBlockDevice() ? Syscalls.S_IFBLK : Syscalls.S_IFIFO;
            Syscalls.mknod(target, type | (entry.getMode() & 07777), entry.getDevMajor(), entry.getDevMinor());
        } else if (entry.isFile()) {
            try (OutputStream out = create(target, entry.getSize())) {
                size += copy(data, out);
            }
        } else {
            return; // global PAX headers and other metadata-only entries carry no file
        }
        applyMetadata(target, entry);
        if (!entry.isDirectory()) {
            setTime(target, entry);
        }
    }

    /**
     * A new file; a large one starts on its way to disk as it is written, so the sync (TreeSync) before the layer becomes
     * visible does not wait for all of it.
     */
    private static OutputStream create(Path target, long size) throws IOException {
        if (size < WritebackOutputStream.STEP) {
            return Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW);
        }
        return new WritebackOutputStream(FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, NOFOLLOW), target);
    }

    /** Large writes: a layer's big files cost a system call per 256 KiB, not per 16 KiB as transferTo's. */
    private long copy(InputStream in, OutputStream out) throws IOException {
        if (buffer == null) {
            buffer = new byte[COPY_BUFFER];
        }
        long total = 0;
        for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** ".wh.NAME" hides NAME of lower layers; ".wh..wh..opq" hides everything below of its directory. */
    private void whiteout(String name, Path parent, String base, TarArchiveEntry entry) throws IOException {
        if (base.equals(OPAQUE)) {
            Syscalls.lsetxattr(parent, dev.skiff.sys.OverlayMarks.OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            return; // aufs metadata (.wh..wh.plnk and the like): nothing to apply on overlay
        }
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw refuse(name, "is a whiteout of an invalid name");
        }
        Path target = parent.resolve(hidden);
        if (Files.exists(target, NOFOLLOW)) {
            deleteTree(target);
        }
        Syscalls.mknodChar(target, 0, 0, 0);
        // the entry's time, not the clock's: a diff of this layer must give back the same bytes
        setTime(target, entry);
    }

    private void hardlink(String name, Path target, String linkName) throws IOException {
        if (linkName.startsWith("/")) {
            throw refuse(name, "is a hardlink to an absolute path " + linkName);
        }
        Path source;
        try {
            source = SafePaths.resolve(root, linkName);
        } catch (SafePaths.PathEscapeException e) {
            throw refuse(name, "is a hardlink to " + linkName + ", outside the layer");
        }
        if (source.equals(root) || !source.startsWith(root)) {
            throw refuse(name, "is a hardlink to " + linkName + ", outside the layer");
        }
        checkNoSymlinkParents(name, source.getParent());
        if (!Files.exists(source, NOFOLLOW) || Files.isDirectory(source, NOFOLLOW)) {
            throw refuse(name, "is a hardlink to " + linkName + ", which is not a file earlier in the layer");
        }
        Files.createLink(target, source);
    }

    private Path inside(String name) throws InvalidArgumentException {
        try {
            return SafePaths.resolve(root, name);
        } catch (SafePaths.PathEscapeException e) {
            throw refuse(name, "points outside the layer");
        }
    }

    /** Creates missing parents as plain directories; refuses a parent that is a symlink or a file. */
    private Path ensureParents(String name, Path parent) throws IOException {
        Path current = root;
        for (Path part : root.relativize(parent)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw refuse(name, "would be written through the symlink " + root.relativize(current));
            }
            if (!Files.exists(current, NOFOLLOW)) {
                Files.createDirectory(current);
            } else if (!Files.isDirectory(current, NOFOLLOW)) {
                throw refuse(name, "has a parent " + root.relativize(current) + " that is not a directory");
            }
        }
        return parent;
    }

    private void checkNoSymlinkParents(String name, Path parent) throws IOException {
        Path current = root;
        for (Path part : root.relativize(parent)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw refuse(name, "links through the symlink " + root.relativize(current));
            }
        }
    }

    private static void applyMetadata(Path target, TarArchiveEntry entry) throws IOException {
        Syscalls.lchown(target, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
        if (!entry.isSymbolicLink()) {
            // after chown, which clears setuid/setgid bits
            Syscalls.chmod(target, entry.getMode());
        }
        PaxXattrs.apply(entry, target);
    }

    private static void setTime(Path target, TarArchiveEntry entry) throws IOException {
        FileTime mtime = FileTime.from(entry.getModTime().toInstant());
        Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW).setTimes(mtime, mtime, null);
    }

    /** Deletes a file or a whole directory tree without following symlinks. */
    static void deleteTree(Path path) throws IOException {
        dev.skiff.sys.FileTrees.delete(path);
    }

    private static InvalidArgumentException refuse(String entry, String why) {
        return new InvalidArgumentException("refusing layer entry \"" + entry + "\": it " + why
                + " (the archive is unsafe or corrupt)");
    }

    private record Deferred(Path path, TarArchiveEntry entry) {
    }

    /** Notes whether anything but zero bytes went by, to tell an empty tar from something that is not one. */
    private static final class ZeroWatch extends java.io.FilterInputStream {
        long count;
        boolean nonZero;

        ZeroWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
                nonZero |= b != 0;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            for (int i = 0; i < n && !nonZero; i++) {
                nonZero = b[off + i] != 0;
            }
            count += Math.max(n, 0);
            return n;
        }
    }
}
