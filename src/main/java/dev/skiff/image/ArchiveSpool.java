package dev.skiff.image;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.SafePaths;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image archive (docker-archive or OCI layout) spooled to a private temp directory, because its
 * index (manifest.json, index.json) may come after the layers. Only regular files are written; links
 * inside the archive (old docker-archives share layers by symlink) are remembered and resolved by name,
 * never created, so the archive cannot reach outside its directory.
 */
final class ArchiveSpool implements Closeable {
    private static final long MAX_JSON = 64L << 20;
    private final Path dir;
    private final Map<String, String> links = new HashMap<>();

    private ArchiveSpool(Path dir) {
        this.dir = dir;
    }

    static ArchiveSpool extract(InputStream archive, Path tmpParent) throws IOException {
        Files.createDirectories(tmpParent);
        ArchiveSpool spool = new ArchiveSpool(Files.createTempDirectory(tmpParent, "archive-"));
        try {
            // `docker save | gzip` is a common way to keep archives; docker load takes it as is.
            TarArchiveInputStream tar = new TarArchiveInputStream(Compression.decompress(archive),
                    StandardCharsets.UTF_8.name());
            boolean any = false;
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                any = true;
                spool.add(e, tar);
            }
            if (!any) {
                throw new InvalidArgumentException("the image archive is empty or not a tar (expected the output of docker save)");
            }
            return spool;
        } catch (IOException | RuntimeException e) {
            spool.close();
            if (e instanceof InvalidArgumentException iae) {
                throw iae;
            }
            throw new InvalidArgumentException("cannot read the image archive: " + e.getMessage()
                    + " (it is truncated or not a tar)", e);
        }
    }

    private void add(TarArchiveEntry e, InputStream data) throws IOException {
        String name = normalize(e.getName());
        if (name.isEmpty()) {
            return;
        }
        Path target = SafePaths.resolve(dir, name);
        if (e.isDirectory()) {
            Files.createDirectories(target);
        } else if (e.isSymbolicLink()) {
            Path parent = Path.of(name).getParent();
            String resolved = (parent == null ? Path.of(e.getLinkName()) : parent.resolve(e.getLinkName()))
                    .normalize().toString();
            links.put(name, normalize(resolved));
        } else if (e.isLink()) {
            links.put(name, normalize(e.getLinkName()));
        } else if (e.isFile()) {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                long n = data.transferTo(out);
                if (n != e.getSize()) {
                    throw new IOException("entry " + name + " is truncated");
                }
            }
        }
    }

    private static String normalize(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.substring(n.startsWith("./") ? 2 : 1);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.equals(".") ? "" : n;
    }

    boolean has(String name) {
        return resolve(name) != null;
    }

    /** The spooled file for an archive path, following the archive's own links. */
    Path file(String name) {
        Path p = resolve(name);
        if (p == null) {
            throw new InvalidArgumentException("the image archive has no file " + name + " (it is incomplete or corrupt)");
        }
        return p;
    }

    byte[] read(String name) throws IOException {
        Path p = file(name);
        if (Files.size(p) > MAX_JSON) {
            throw new InvalidArgumentException("file " + name + " in the image archive is too large to be metadata");
        }
        return Files.readAllBytes(p);
    }

    private Path resolve(String name) {
        String n = normalize(name);
        for (int depth = 0; depth < 16 && links.containsKey(n); depth++) {
            n = links.get(n);
        }
        try {
            Path p = SafePaths.resolve(dir, n);
            return Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? p : null;
        } catch (SafePaths.PathEscapeException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        LayerUnpacker.deleteTree(dir);
    }
}
