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
}
