package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.runtime.runc.ComponentVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SystemRoutesTest {
    private final SystemRoutes routes = new SystemRoutes(() -> new SystemRoutes.Counts(0, 0, 0, 0, 0),
            new SystemRoutes.Host("id", "/var/lib/skiff", "/usr/bin/runc", "2", false));

    @Test
    void version_namesTheArchitectureAsGoAndImagesDo_infoAsTheKernelDoes() {
        String javaArch = System.getProperty("os.arch");
        if (javaArch.equals("amd64")) {
            assertThat(routes.version()).containsEntry("Arch", "amd64");
            assertThat(routes.info()).containsEntry("Architecture", "x86_64");
        }
        assertThat(SystemRoutes.goArch()).isIn("amd64", "arm64", "386", javaArch);
    }

    @Test
    void info_namesTheDefaultLogDriverAndWhatTheCgroupsCanDo() {
        assertThat(routes.info()).containsEntry("LoggingDriver", "json-file").containsEntry("OomKillDisable", false);
        SystemRoutes v1 = new SystemRoutes(() -> new SystemRoutes.Counts(0, 0, 0, 0, 0),
                new SystemRoutes.Host("id", "/", "/usr/bin/runc", "1", false));
        assertThat(v1.info()).containsEntry("OomKillDisable", true);
        assertThat(routes.info().get("OSVersion")).isNotNull();
    }

    @Test
    void helpersAreListedAsComponents_askedOnce_andInfoNamesTheirCommits() {
        AtomicInteger asked = new AtomicInteger();
        SystemRoutes withHelpers = new SystemRoutes(() -> new SystemRoutes.Counts(0, 0, 0, 0, 0),
                new SystemRoutes.Host("id", "/", "/usr/bin/runc", "2", false)).withComponents(() -> {
                    asked.incrementAndGet();
                    return List.of(new ComponentVersion("conmon", "2.1.6", "unknown"),
                            new ComponentVersion("runc", "1.1.5", "v1.1.5-0-gf9a"),
                            new ComponentVersion("docker-init", "0.19.0", ""));
                });

        List<?> components = (List<?>) withHelpers.version().get("Components");
        assertThat(components.stream().map(c -> String.valueOf(((Map<?, ?>) c).get("Name"))).toList())
                .containsExactly("Engine", "conmon", "runc", "docker-init");
        Map<String, Object> info = withHelpers.info();
        assertThat(info.get("RuncCommit")).isEqualTo(Map.of("ID", "v1.1.5-0-gf9a"));
        assertThat(info.get("ContainerdCommit")).isEqualTo(Map.of("ID", "2.1.6")); // no commit: the version
        assertThat(info.get("InitCommit")).isEqualTo(Map.of("ID", "0.19.0"));
        assertThat(asked).hasValue(1);
    }

    @Test
    void theBackingFilesystemIsNamedAsDockerdNamesIt() {
        assertThat(SystemRoutes.backingFilesystem(Path.of("/proc"))).isEqualTo("proc");
        assertThat(SystemRoutes.backingFilesystem(Path.of("/nonexistent/dir"))).isEqualTo("<unknown>");
    }
}
