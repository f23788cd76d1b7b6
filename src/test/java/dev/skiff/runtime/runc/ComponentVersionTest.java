package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ComponentVersionTest {
    @Test
    void readsRuncConmonAndTini_asTheyPrintTheirVersions() {
        assertThat(ComponentVersion.parse("runc", """
                runc version 1.1.5+ds1
                commit: 1.1.5+ds1-1+deb12u1
                spec: 1.0.2-dev
                go: go1.19.8
                libseccomp: 2.5.4
                """)).isEqualTo(new ComponentVersion("runc", "1.1.5+ds1", "1.1.5+ds1-1+deb12u1"));
        assertThat(ComponentVersion.parse("conmon", "conmon version 2.1.6\ncommit: unknown\n"))
                .isEqualTo(new ComponentVersion("conmon", "2.1.6", "unknown"));
        assertThat(ComponentVersion.parse("docker-init", "tini version 0.19.0\n"))
                .isEqualTo(new ComponentVersion("docker-init", "0.19.0", ""));
    }

    @Test
    void somethingElse_orNothingAtAll_isUnknown() {
        assertThat(ComponentVersion.parse("runc", "usage: ...\n")).isEqualTo(new ComponentVersion("runc", "unknown", ""));
        assertThat(ComponentVersion.probe("runc", null)).isEqualTo(new ComponentVersion("runc", "unknown", ""));
        assertThat(ComponentVersion.probe("runc", Path.of("/nonexistent/runc")))
                .isEqualTo(new ComponentVersion("runc", "unknown", ""));
    }

    @Test
    void asksTheBinaryWithVersion(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path fake = dir.resolve("fake-runc");
        java.nio.file.Files.writeString(fake, "#!/bin/sh\n[ \"$1\" = --version ] && printf 'runc version 9.9\\ncommit: abc\\n'\n");
        fake.toFile().setExecutable(true);
        assertThat(ComponentVersion.probe("runc", fake)).isEqualTo(new ComponentVersion("runc", "9.9", "abc"));
    }
}
