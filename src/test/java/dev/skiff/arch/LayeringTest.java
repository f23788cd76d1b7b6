package dev.skiff.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies point down the layers in DESIGN.md, never up: each top-level package may use only those listed. */
class LayeringTest {
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("errors", Set.of()),
            Map.entry("sys", Set.of("errors")),
            Map.entry("image", Set.of("sys", "errors")),
            Map.entry("runtime", Set.of("image", "sys", "errors")),
            Map.entry("build", Set.of("runtime", "image", "sys", "errors")),
            Map.entry("registry", Set.of("image", "sys", "errors")),
            Map.entry("engine", Set.of("build", "runtime", "image", "sys", "errors")),
            Map.entry("api", Set.of("engine", "build", "registry", "runtime", "image", "sys", "errors")),
            Map.entry("daemon", Set.of("api", "engine", "build", "registry", "runtime", "image", "sys", "errors")),
            // registry: the CLI hosts the standalone registry server (skiff registry serve); nothing else.
            Map.entry("cli", Set.of("registry", "sys", "errors")));

    private static final Pattern REF = Pattern.compile("\\bdev\\.skiff\\.([a-z]+)\\b");

    @Test
    void packagesDependOnlyDownward() throws IOException {
        Path root = Path.of("src/main/java/dev/skiff");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String own = root.relativize(file).getName(0).toString();
                assertThat(ALLOWED).as("package dev.skiff.%s is not in the layer map", own).containsKey(own);
                Matcher m = REF.matcher(Files.readString(file));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(own) && !ALLOWED.get(own).contains(used)) {
                        violations.add(file + " (" + own + ") uses dev.skiff." + used);
                    }
                }
            }
        }
        assertThat(violations).as("upward or sideways dependencies").isEmpty();
    }

    @Test
    void everyPackageSaysWhatItOwns() throws IOException {
        Path root = Path.of("src/main/java/dev/skiff");
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(root)).toList()) {
                boolean hasJava;
                try (Stream<Path> l = Files.list(dir)) {
                    hasJava = l.anyMatch(f -> f.toString().endsWith(".java"));
                }
                if (hasJava) {
                    assertThat(dir.resolve("package-info.java")).as("package-info.java in " + dir).exists();
                }
            }
        }
    }
}
