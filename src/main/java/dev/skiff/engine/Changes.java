package dev.skiff.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * docker diff from an overlay upper directory: a whiteout (a 0/0 character device) is a deletion, a path the
 * image's layers also have is a change, anything else an addition.
 */
public final class Changes {
    /** One line of docker diff: Kind 0 = C (changed), 1 = A (added), 2 = D (deleted). */
    public record Change(@JsonProperty("Path") String path, @JsonProperty("Kind") int kind) {
    }

    private Changes() {
    }

    public static List<Change> diff(Path upper, List<Path> lowerDirs) throws IOException {
        List<Change> out = new ArrayList<>();
        if (!Files.isDirectory(upper)) {
            return out;
        }
        Files.walkFileTree(upper, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(upper)) {
                    out.add(classify(upper, dir, lowerDirs));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                out.add(classify(upper, file, lowerDirs));
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(Comparator.comparing(Change::path));
        return out;
    }

    private static Change classify(Path upper, Path p, List<Path> lowerDirs) {
        String rel = upper.relativize(p).toString();
        String path = "/" + rel;
        if (isWhiteout(p)) {
            return new Change(path, 2);
        }
        for (Path lower : lowerDirs) {
            if (Files.exists(lower.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                return new Change(path, 0);
            }
        }
        return new Change(path, 1);
    }

    static boolean isWhiteout(Path p) {
        try {
            return dev.skiff.sys.OverlayMarks.isWhiteout(p);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
