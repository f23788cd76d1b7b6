package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A discarded tree leaves its place at once and is deleted behind the caller's back; a crash's leftovers go at the next open. */
class TrashTest {
    @TempDir
    Path tmp;

    @Test
    void discard_movesTheTreeAwayAtOnce_thenDeletesIt() throws Exception {
        Trash trash = new Trash(tmp.resolve("trash"));
        Path tree = tree(tmp.resolve("containers").resolve("abc"));

        trash.discard(tree);

        assertThat(tree).doesNotExist();
        trash.awaitEmpty();
        try (var left = Files.list(tmp.resolve("trash"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void discard_twoTreesOfTheSameName_bothGo() throws Exception {
        Trash trash = new Trash(tmp.resolve("trash"));
        trash.discard(tree(tmp.resolve("a").resolve("x")));
        trash.discard(tree(tmp.resolve("b").resolve("x")));

        trash.awaitEmpty();

        assertThat(tmp.resolve("a").resolve("x")).doesNotExist();
        assertThat(tmp.resolve("b").resolve("x")).doesNotExist();
        try (var left = Files.list(tmp.resolve("trash"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theDeleter_runsAtTheLowestCpuPriority() throws Exception {
        Trash trash = new Trash(tmp.resolve("trash"));
        trash.discard(tree(tmp.resolve("abc")));
        trash.awaitEmpty();

        // the deleter thread lives on; Linux keeps a nice value per thread (stat field 19)
        java.util.List<Integer> nices = new java.util.ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals("trash")) {
                    String stat = Files.readString(task.resolve("stat"));
                    nices.add(Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                }
            }
        }
        assertThat(nices).isNotEmpty().containsOnly(19);
    }

    @Test
    void discard_missingTree_doesNothing() throws Exception {
        new Trash(tmp.resolve("trash")).discard(tmp.resolve("nothing-here"));
    }

    @Test
    void open_deletesWhatACrashLeftInTheTrash() throws Exception {
        tree(tmp.resolve("trash").resolve("old-1"));

        new Trash(tmp.resolve("trash")).awaitEmpty();

        assertThat(tmp.resolve("trash").resolve("old-1")).doesNotExist();
        assertThat(tmp.resolve("trash")).isDirectory();
    }

    @Test
    void deleteTree_removesSymlinksButNotWhatTheyPointTo() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside"), "keep");
        Path tree = tree(tmp.resolve("t"));
        Files.createSymbolicLink(tree.resolve("link"), outside);
        Files.createSymbolicLink(tree.resolve("dirlink"), tmp);

        FileTrees.delete(tree);

        assertThat(tree).doesNotExist();
        assertThat(outside).hasContent("keep");
    }

    private static Path tree(Path root) throws IOException {
        Files.createDirectories(root.resolve("sub").resolve("deeper"));
        Files.writeString(root.resolve("container.log"), "x".repeat(10_000));
        Files.writeString(root.resolve("sub").resolve("deeper").resolve("f"), "y");
        return root;
    }
}
