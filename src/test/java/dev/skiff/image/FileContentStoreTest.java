package dev.skiff.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

class FileContentStoreTest extends ContentStoreContract {
    @TempDir
    Path root;

    @Override
    protected ContentStore store() throws Exception {
        return new FileContentStore(root);
    }

    @Override
    protected long leftovers() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("content/ingest"))) {
            return s.count();
        }
    }
}
