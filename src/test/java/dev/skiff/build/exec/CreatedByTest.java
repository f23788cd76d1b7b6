package dev.skiff.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CreatedByTest {
    private static final List<String> SH = List.of("/bin/sh", "-c");

    @Test
    void metadataSteps_lookLikeTheLegacyBuilders() {
        assertThat(CreatedBy.nop(SH, "CMD " + CreatedBy.goQuoted(List.of("sh"))))
                .isEqualTo("/bin/sh -c #(nop)  CMD [\"sh\"]");
        assertThat(CreatedBy.nop(SH, "ENTRYPOINT " + CreatedBy.goQuoted(List.of("/bin/sh", "-c", "echo \"hi\""))))
                .isEqualTo("/bin/sh -c #(nop)  ENTRYPOINT [\"/bin/sh\" \"-c\" \"echo \\\"hi\\\"\"]");
        assertThat(CreatedBy.nop(SH, "VOLUME " + CreatedBy.goList(List.of("/a", "/b"))))
                .isEqualTo("/bin/sh -c #(nop)  VOLUME [/a /b]");
    }

    @Test
    void workdir_hasOneSpace_asTheClassicBuildersComment() {
        assertThat(CreatedBy.workdir(SH, "/app")).isEqualTo("/bin/sh -c #(nop) WORKDIR /app");
    }

    @Test
    void aStage_getsDockersDefaultPath_whenItsBaseHasNone() {
        String path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        assertThat(ConfigState.from(null).toConfig().env()).containsExactly(path);
        dev.skiff.image.ImageConfig.Config noEnv = new dev.skiff.image.ImageConfig.Config(null, null, List.of("A=1"),
                null, List.of("sh"), null, null, null, null, null, null, null, null);
        assertThat(ConfigState.from(noEnv).toConfig().env()).containsExactly("A=1", path);
        dev.skiff.image.ImageConfig.Config own = new dev.skiff.image.ImageConfig.Config(null, null, List.of("PATH=/x"),
                null, null, null, null, null, null, null, null, null, null);
        assertThat(ConfigState.from(own).toConfig().env()).containsExactly("PATH=/x");
    }

    @Test
    void run_prefixesTheBuildArgsSorted() {
        assertThat(CreatedBy.run(List.of("/bin/sh", "-c", "make"), List.of())).isEqualTo("/bin/sh -c make");
        assertThat(CreatedBy.run(List.of("/bin/sh", "-c", "make"), List.of("B=2", "A=1")))
                .isEqualTo("|2 A=1 B=2 /bin/sh -c make");
    }

    @Test
    void copy_namesTheContentAndDestination() {
        assertThat(CreatedBy.copy(SH, "COPY", null, "file:abc", "/app"))
                .isEqualTo("/bin/sh -c #(nop) COPY file:abc in /app ");
        assertThat(CreatedBy.copy(SH, "ADD", "1:2", "dir:abc", "/app/")) // dockerd's, without a space
                .isEqualTo("/bin/sh -c #(nop) ADD --chown=1:2dir:abc in /app/ ");
    }

    @Test
    void goDurations() {
        assertThat(MetadataSteps.go(java.time.Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(MetadataSteps.go(java.time.Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(MetadataSteps.go(null)).isEqualTo("0s");
        assertThat(MetadataSteps.go(java.time.Duration.ofMillis(500))).isEqualTo("500ms");
    }
}
