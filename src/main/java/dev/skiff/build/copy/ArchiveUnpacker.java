package dev.skiff.build.copy;

import dev.skiff.build.context.ContextArchive;
import dev.skiff.build.context.PathPattern;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Syscalls;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * ADD's archive handling: tells a (possibly gzip, bzip2, xz or zstd compressed) tar apart by its content,
 * never its name, and unpacks it into a directory of the destination rootfs like {@code tar -x}: the union
 * of what was there and the archive, archive entries winning. Entry names that climb above the target are
 * refused; every path is resolved inside the rootfs, so neither names nor symlinks (in the rootfs or
 * created by earlier entries) can lead outside.
 */
final class ArchiveUnpacker {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private ArchiveUnpacker() {
    }

    /** Whether {@code file} holds a tar archive, compressed or not. */
    static boolean isArchive(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = ContextArchive.decompress(raw)) {
            byte[] header = in.readNBytes(512);
            return header.length == 512 && TarArchiveInputStream.matches(header, header.length) && checksumOk(header);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The tar header's own checksum: magic bytes alone would take too many files for archives. */
    private static boolean checksumOk(byte[] h) {
        long stored;
        try {
            String field = new String(h, 148, 8, StandardCharsets.US_ASCII).replace('\0', ' ').strip();
            stored = Long.parseLong(field, 8);
        } catch (NumberFormatException e) {
            return false;
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        return sum == stored;
    }

    /**
     * Unpacks {@code archive} into the rootfs directory {@code destDir} (absolute inside the rootfs). Its entries
     * keep the owners the archive gives them: ADD's --chown does not apply to what it unpacks, in either of
     * dockerd's builders (their untar knows nothing of it).
     */
    static long unpack(Path archive, TreeWriter writer, Path rootfs, String destDir) throws IOException {
        Path top = rootfs.toAbsolutePath().normalize();
        writer.directory(destDir);
        long bytes = 0;
        List<Object[]> dirTimes = new ArrayList<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream in = new TarArchiveInputStream(ContextArchive.decompress(raw), StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry e; (e = next(in, archive)) != null; ) {
                String rel = inside(e.getName());
                if (rel.isEmpty()) {
                    continue;
                }
                String abs = destDir + "/" + rel;
                String parent = abs.substring(0, abs.lastIndexOf('/'));
                Path dir = writer.directory(parent.isEmpty() ? "/" : parent);
                Path target = dir.resolve(rel.substring(rel.lastIndexOf('/') + 1));
                int uid = (int) e.getLongUserId();
                int gid = (int) e.getLongGroupId();
                if (e.isDirectory()) {
                    if (Files.isSymbolicLink(target)) {
                        target = ScopedPath.resolve(top, abs, true);
                    }
                    if (!Files.isDirectory(target, NOFOLLOW)) {
                        Files.deleteIfExists(target);
                        Files.createDirectory(target);
                    }
                    Syscalls.chmod(target, e.getMode() & 07777);
                    Syscalls.lchown(target, uid, gid);
                    dirTimes.add(new Object[] {target, FileTime.from(e.getLastModifiedDate().toInstant())});
                    continue;
                }
                if (Files.isDirectory(target, NOFOLLOW)) {
                    throw new InvalidArgumentException("ADD: archive entry " + e.getName() + " would replace a directory");
                }
                Files.deleteIfExists(target);
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    Syscalls.lchown(target, uid, gid);
                    continue;
                }
                if (e.isLink()) {
                    Path linked = ScopedPath.resolve(top, destDir + "/" + inside(e.getLinkName()), false);
                    if (!Files.isRegularFile(linked, NOFOLLOW)) {
                        throw new InvalidArgumentException("ADD: archive entry " + e.getName() + " links to "
                                + e.getLinkName() + ", which is not a file earlier in the archive");
                    }
                    Files.createLink(target, linked);
                    continue;
                }
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    int type = e.isFIFO() ? Syscalls.S_IFIFO : e.isCharacterDevice() ? Syscalls.S_IFCHR : Syscalls.S_IFBLK;
                    Syscalls.mknod(target, type | (e.getMode() & 07777), e.getDevMajor(), e.getDevMinor());
                } else {
                    bytes += Files.copy(in, target);
                }
                Syscalls.chmod(target, e.getMode() & 07777);
                Syscalls.lchown(target, uid, gid);
                Files.setLastModifiedTime(target, FileTime.from(e.getLastModifiedDate().toInstant()));
            }
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Files.setLastModifiedTime((Path) dirTimes.get(i)[0], (FileTime) dirTimes.get(i)[1]);
        }
        return bytes;
    }

    private static TarArchiveEntry next(TarArchiveInputStream in, Path archive) throws IOException {
        try {
            return in.getNextEntry();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidArgumentException("ADD: " + archive.getFileName() + " is not a valid tar archive: " + e.getMessage(), e);
        }
    }

    private static String inside(String name) {
        int depth = 0;
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                depth--;
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
            if (depth < 0) {
                throw new InvalidArgumentException("ADD: archive entry " + name + " points outside the destination");
            }
        }
        return PathPattern.clean(name);
    }
}
