package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build step that rewrites picocli's pre-Java-6 classes (src/build/UpgradeLegacyClasses.java). */
class LegacyClassUpgradeTest {
    @Test
    void picocliComesOutAsJava8ClassesThatTheVerifierAccepts_andASecondRunLeavesItAlone(@TempDir Path dir)
            throws Exception {
        Path original = Path.of(picocli.CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("picocli.jar");
        Files.copy(original, jar);

        assertThat(run(dir)).contains("upgraded").contains("picocli.jar");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.stream().filter(e -> e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/"))
                    .allMatch(e -> {
                        try (var in = zip.getInputStream(e)) {
                            byte[] head = in.readNBytes(8);
                            return ((head[6] & 0xff) << 8 | (head[7] & 0xff)) >= 52;
                        } catch (java.io.IOException x) {
                            return false;
                        }
                    })).isTrue();
            assertThat(zip.size()).isEqualTo(new ZipFile(original.toFile()).size());
        }
        // loaded apart from the test's own picocli, with the split verifier checking the new stack maps
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Class<?> cl = Class.forName("picocli.CommandLine", true, loader);
            Class<?> spec = Class.forName("picocli.CommandLine$Model$CommandSpec", true, loader);
            Object s = spec.getMethod("create").invoke(null);
            Object cmd = cl.getConstructor(Object.class).newInstance(s);
            assertThat(cl.getMethod("getUsageMessage").invoke(cmd)).asString().contains("Usage");
        }
        long modified = Files.getLastModifiedTime(jar).toMillis();
        assertThat(run(dir)).doesNotContain("upgraded");
        assertThat(Files.getLastModifiedTime(jar).toMillis()).isEqualTo(modified);
    }

    private static String run(Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "src/build/UpgradeLegacyClasses.java", dir.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
