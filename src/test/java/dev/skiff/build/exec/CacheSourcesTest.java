package dev.skiff.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.image.ImageConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheSourcesTest {
    private static final ImageConfig.History BASE = new ImageConfig.History("2024-01-01T00:00:00Z", "import", null, null,
            null);
    private static final ImageConfig.History ENV = new ImageConfig.History("2024-01-02T00:00:00Z",
            "/bin/sh -c #(nop)  ENV A=1", null, null, true);
    private static final ImageConfig.History RUN = new ImageConfig.History("2024-01-03T00:00:00Z",
            "/bin/sh -c make", null, null, null);
    private static final ImageConfig.History CMD = new ImageConfig.History("2024-01-04T00:00:00Z",
            "/bin/sh -c #(nop)  CMD [\"app\"]", null, null, true);

    private static ImageConfig image(List<String> layers, ImageConfig.History... history) {
        return new ImageConfig("amd64", "linux", null, null, null, null, null, null,
                new ImageConfig.RootFs("layers", new ArrayList<>(layers)), List.of(history));
    }

    private final ImageConfig base = image(List.of("sha256:b"), BASE);
    private final ImageConfig source = image(List.of("sha256:b", "sha256:r"), BASE, ENV, RUN, CMD);

    @Test
    void eachStep_isTheSourcesNextEntry_withItsLayer_andTheLastIsTheSourceItself() {
        assertThat(CacheSources.match(source, base, ENV.createdBy()))
                .contains(new CacheSources.Step(ENV, null, false));
        ImageConfig afterEnv = image(List.of("sha256:b"), BASE, ENV);
        assertThat(CacheSources.match(source, afterEnv, RUN.createdBy()))
                .contains(new CacheSources.Step(RUN, "sha256:r", false));
        ImageConfig afterRun = image(List.of("sha256:b", "sha256:r"), BASE, ENV, RUN);
        assertThat(CacheSources.match(source, afterRun, CMD.createdBy())).contains(new CacheSources.Step(CMD, null, true));
    }

    @Test
    void aDifferentStep_aDifferentBase_orAnotherHistoryOfTheSameLine_isNoMatch() {
        assertThat(CacheSources.match(source, base, "/bin/sh -c #(nop)  ENV A=2")).isEmpty();
        ImageConfig otherBase = image(List.of("sha256:other"), BASE);
        assertThat(CacheSources.match(source, otherBase, ENV.createdBy())).isEmpty();
        ImageConfig rebuiltBase = image(List.of("sha256:b"), new ImageConfig.History("2025-01-01T00:00:00Z", "import",
                null, null, null));
        assertThat(CacheSources.match(source, rebuiltBase, ENV.createdBy())).as("the base's history differs").isEmpty();
        assertThat(CacheSources.match(source, source, CMD.createdBy())).as("nothing after the source's end").isEmpty();
        assertThat(CacheSources.match(image(List.of()), base, ENV.createdBy())).isEmpty();
    }

    @Test
    void fromScratch_theSourcesFirstEntryIsTheFirstStep() {
        ImageConfig fromScratch = image(List.of("sha256:f"), new ImageConfig.History(null, "/bin/sh -c #(nop) COPY file:x in / ",
                null, null, null));
        assertThat(CacheSources.match(fromScratch, null, "/bin/sh -c #(nop) COPY file:x in / "))
                .hasValueSatisfying(s -> assertThat(s.diffId()).isEqualTo("sha256:f"));
    }

    @Test
    void aHistoryThatMiscountsItsLayers_isNotTrusted() {
        ImageConfig bad = image(List.of("sha256:b"), BASE, ENV, RUN); // RUN claims a layer the rootfs lacks
        ImageConfig afterEnv = image(List.of("sha256:b"), BASE, ENV);
        assertThat(CacheSources.match(bad, afterEnv, RUN.createdBy())).isEmpty();
    }
}
