package dev.skiff.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads /proc/self/mountinfo so tests can assert that nothing leaked, and clean up if it did. */
public final class Mounts {
    private Mounts() {
    }

    /** Mount points at or below {@code dir}. */
    public static List<String> under(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().toString();
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4].replace("\\040", " ");
            if (mountPoint.equals(prefix) || mountPoint.startsWith(prefix + "/")) {
                found.add(mountPoint);
            }
        }
        return found;
    }

    /** Lazily unmounts everything under {@code dir}, deepest first (test clean-up only). */
    public static void unmountUnder(Path dir) throws IOException, InterruptedException {
        List<String> mounts = new ArrayList<>(under(dir));
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String m : mounts) {
            new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor();
        }
    }
}
