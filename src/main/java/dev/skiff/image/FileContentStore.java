package dev.skiff.image;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.sys.AtomicFiles;
import dev.skiff.sys.WritebackOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The content store on disk: {@code <root>/content/blobs/sha256/<hex>}, with writes in progress under
 * {@code <root>/content/ingest/} (same filesystem, so the final rename is atomic). Leftover ingest files
 * from a crash are deleted when the store opens.
 */
public final class FileContentStore implements ContentStore {
    private final Path blobs;
    private final Path ingest;

    public FileContentStore(Path root) throws IOException {
        this.blobs = root.resolve("content/blobs/sha256");
        this.ingest = root.resolve("content/ingest");
        Files.createDirectories(blobs);
        Files.createDirectories(ingest);
        try (Stream<Path> leftovers = Files.list(ingest)) {
            for (Path p : leftovers.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Where a blob lives, for zero-copy serving; it may not exist. */
    public Path path(Digest digest) {
        if (!digest.algorithm().equals("sha256")) {
            throw new InvalidArgumentException("unsupported digest algorithm " + digest.algorithm() + " (only sha256 is stored)");
        }
        return blobs.resolve(digest.hex());
    }

    @Override
    public Writer writer() throws IOException {
        return new FileWriter(Files.createTempFile(ingest, "blob-", ".tmp"));
    }

    @Override
    public boolean exists(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    @Override
    public InputStream open(Digest digest) throws IOException {
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw notFound(digest);
        }
    }

    @Override
    public long size(Digest digest) throws IOException {
        try {
            return Files.size(path(digest));
        } catch (NoSuchFileException e) {
            throw notFound(digest);
        }
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(path(digest));
    }

    @Override
    public List<Digest> list() throws IOException {
        List<Digest> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(blobs)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.matches("[a-f0-9]{64}")) {
                    all.add(Digest.sha256Hex(name));
                }
            }
        }
        return all;
    }

    private static NotFoundException notFound(Digest digest) {
        return new NotFoundException("blob " + digest + " not found in the content store");
    }

    private final class FileWriter implements Writer {
        private final Path tmp;
        private final FileChannel channel;
        private final WritebackOutputStream file;
        private final MessageDigest sha = Digest.newSha256();
        private final CountingOutputStream counter;
        private final OutputStream out;

        FileWriter(Path tmp) throws IOException {
            this.tmp = tmp;
            this.channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
            this.file = new WritebackOutputStream(channel, tmp);
            this.counter = new CountingOutputStream(file);
            this.out = new DigestOutputStream(new BufferedOutputStream(counter, 1 << 16), sha);
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public long written() {
            return counter.count();
        }

        @Override
        public Digest commit(Digest expected, long expectedSize) throws IOException {
            out.flush();
            channel.force(true);
            file.close();
            Digest actual = Digest.of(sha);
            long size = Files.size(tmp);
            try {
                if (expected != null && !expected.equals(actual)) {
                    throw new InvalidArgumentException("blob " + expected + " failed verification: its content hashes to "
                            + actual + " (the download or archive is corrupt; fetch it again)");
                }
                if (expectedSize >= 0 && expectedSize != size) {
                    throw new InvalidArgumentException("blob " + actual + " failed verification: " + size
                            + " bytes, expected " + expectedSize + " (the download or archive is truncated)");
                }
                AtomicFiles.moveIntoPlace(tmp, path(actual));
                return actual;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        @Override
        public void close() throws IOException {
            if (channel.isOpen()) {
                file.close(); // aborted, or the commit failed before it closed the channel
            }
            Files.deleteIfExists(tmp);
        }
    }
}
