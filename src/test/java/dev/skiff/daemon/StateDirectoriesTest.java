package dev.skiff.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoriesTest {
    @TempDir
    Path dir;

    private String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void onlyRootLooksIntoTheState_andTheSocketStaysReachable() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path exec = Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(exec.resolve("c/abc"));
        Files.createDirectories(exec.resolve("runc"));
        Files.writeString(exec.resolve("resolv.conf"), "nameserver 192.0.2.1\n");
        Files.createSymbolicLink(exec.resolve("link"), Path.of("/etc"));
        StateDirectories.restrict(data, exec);
        assertThat(mode(data)).isEqualTo("rwx--x---");
        assertThat(mode(exec)).isEqualTo("rwx--x--x");
        assertThat(mode(exec.resolve("c"))).isEqualTo("rwx------");
        assertThat(mode(exec.resolve("runc"))).isEqualTo("rwx------");
        // files at the top (the daemon's resolv.conf) and what links point at are left alone
        assertThat(mode(exec.resolve("resolv.conf"))).isEqualTo("rw-r--r--");
        assertThat(mode(Path.of("/etc"))).isEqualTo("rwxr-xr-x");
    }
}
