package dev.skiff.build.context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Walks a context directory and yields what .dockerignore leaves in: files, directories and symlinks
 * (never followed), names sorted, parents before children. An excluded directory is skipped whole unless
 * an exception pattern could bring something inside it back. Also writes that set as a context tar.
 */
public final class ContextWalker {
    /** One included entry: its "/"-separated path relative to the context root. */
    public record ContextEntry(String path, Path file, PosixFileAttributes attrs) {
    }

    private ContextWalker() {
    }

    public static List<ContextEntry> walk(Path root, DockerIgnore ignore) throws IOException {
        List<ContextEntry> out = new ArrayList<>();
        walk(root.toAbsolutePath().normalize(), "", ignore, out);
        return out;
    }

    private static void walk(Path dir, String rel, DockerIgnore ignore, List<ContextEntry> out) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String path = rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName();
            PosixFileAttributes attrs = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean excluded = ignore.excluded(path);
            if (!excluded) {
                out.add(new ContextEntry(path, child, attrs));
            }
            if (attrs.isDirectory() && (!excluded || !ignore.canSkipDirectory(path))) {
                walk(child, path, ignore, out);
            }
        }
    }

    /**
     * Writes the included entries as an uncompressed tar (what POST /build takes); owners are 0:0, as
     * the docker CLI sends them.
     */
    public static void writeTar(Path root, DockerIgnore ignore, OutputStream sink) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(sink, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (ContextEntry e : walk(root, ignore)) {
            TarArchiveEntry entry;
            if (e.attrs().isSymbolicLink()) {
                entry = new TarArchiveEntry(e.path(), TarArchiveEntry.LF_SYMLINK);
                entry.setLinkName(Files.readSymbolicLink(e.file()).toString());
            } else if (e.attrs().isDirectory()) {
                entry = new TarArchiveEntry(e.path() + "/");
            } else if (e.attrs().isRegularFile()) {
                entry = new TarArchiveEntry(e.path());
                entry.setSize(e.attrs().size());
            } else {
                continue; // sockets, fifos and devices are not context content
            }
            int mode = (Integer) Files.getAttribute(e.file(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
            entry.setMode(mode);
            entry.setModTime(e.attrs().lastModifiedTime().toMillis());
            tar.putArchiveEntry(entry);
            if (e.attrs().isRegularFile()) {
                Files.copy(e.file(), tar);
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
    }
}
