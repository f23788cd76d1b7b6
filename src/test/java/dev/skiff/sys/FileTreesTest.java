package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directory trees: deleting them, and marking where ext4 should spread their subdirectories. */
class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void spreadSubdirectories_makesTheDirectory_andMarksItATopDirectoryWhereTheFilesystemCan() throws Exception {
        Path dir = tmp.resolve("a/containers");
        FileTrees.spreadSubdirectories(dir);
        assertThat(dir).isDirectory();
        FileTrees.spreadSubdirectories(dir); // again: nothing to change, no failure
        assumeTrue("ext4".equals(Files.getFileStore(dir).type()), "inode flags as chattr sets them: ext4 here");
        assertThat(Syscalls.inodeFlags(dir) & Syscalls.FS_TOPDIR_FL).isEqualTo(Syscalls.FS_TOPDIR_FL);
    }

    @Test
    void delete_removesATreeWithoutFollowingLinks_andAbsentIsFine() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("t/sub"));
        Files.writeString(tree.resolve("f"), "x");
        Files.createSymbolicLink(tree.resolve("link"), outside);
        FileTrees.delete(tmp.resolve("t"));
        assertThat(tmp.resolve("t")).doesNotExist();
        assertThat(outside).hasContent("keep");
        FileTrees.delete(tmp.resolve("t"));
    }
}
