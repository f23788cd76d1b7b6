package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

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
    void helpersAreListedAsComponents_askedOnce_andInfoNamesTheirCommits() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        SystemRoutes withHelpers = new SystemRoutes(() -> new SystemRoutes.Counts(0, 0, 0, 0, 0),
                new SystemRoutes.Host("id", "/", "/usr/bin/runc", "2", false)).withComponents(() -> {
                    asked.incrementAndGet();
                    return java.util.List.of(new dev.skiff.runtime.runc.ComponentVersion("conmon", "2.1.6", "unknown"),
                            new dev.skiff.runtime.runc.ComponentVersion("runc", "1.1.5", "v1.1.5-0-gf9a"),
                            new dev.skiff.runtime.runc.ComponentVersion("docker-init", "0.19.0", ""));
                });

        java.util.List<?> components = (java.util.List<?>) withHelpers.version().get("Components");
        assertThat(components.stream().map(c -> String.valueOf(((java.util.Map<?, ?>) c).get("Name"))).toList())
                .containsExactly("Engine", "conmon", "runc", "docker-init");
        java.util.Map<String, Object> info = withHelpers.info();
        assertThat(info.get("RuncCommit")).isEqualTo(java.util.Map.of("ID", "v1.1.5-0-gf9a"));
        assertThat(info.get("ContainerdCommit")).isEqualTo(java.util.Map.of("ID", "2.1.6")); // no commit: the version
        assertThat(info.get("InitCommit")).isEqualTo(java.util.Map.of("ID", "0.19.0"));
        assertThat(asked).hasValue(1);
    }

    @Test
    void theBackingFilesystemIsNamedAsDockerdNamesIt() {
        assertThat(SystemRoutes.backingFilesystem(java.nio.file.Path.of("/proc"))).isEqualTo("proc");
        assertThat(SystemRoutes.backingFilesystem(java.nio.file.Path.of("/nonexistent/dir"))).isEqualTo("<unknown>");
    }
}
