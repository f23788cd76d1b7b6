package dev.skiff.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a download to -o (atomically: a temp file renamed into place) or to stdout. */
public final class OutputFiles {
    private OutputFiles() {
    }

    public static void write(InputStream in, String file, OutputStream stdout) throws IOException {
        if (file == null || file.equals("-")) {
            in.transferTo(stdout);
            stdout.flush();
            return;
        }
        Path target = Path.of(file).toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
