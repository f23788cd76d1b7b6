package dev.skiff.daemon;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.UnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data root whose database is gone is not started on: a new, empty one would have its contents deleted. */
class DataRootDatabaseTest {
    @TempDir
    Path root;

    @Test
    void aFreshDataRoot_starts() {
        assertThatCode(() -> Skiffd.requireDatabaseOfItsContents(root)).doesNotThrowAnyException();
    }

    @Test
    void containersOrLayersWithoutTheDatabase_areRefused_andWithIt_start() throws Exception {
        Files.createDirectories(root.resolve("layers/" + "a".repeat(64)));
        Files.createDirectories(root.resolve("containers/.tmp-left")); // hidden leftovers alone would not count
        assertThatThrownBy(() -> Skiffd.requireDatabaseOfItsContents(root)).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("holds layers but no metadata database (skiff.db)")
                .hasMessageContaining("Put it back");
        Files.writeString(root.resolve("skiff.db"), "");
        assertThatCode(() -> Skiffd.requireDatabaseOfItsContents(root)).doesNotThrowAnyException();
    }
}
