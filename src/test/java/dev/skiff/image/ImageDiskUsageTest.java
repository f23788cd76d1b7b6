package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.errors.InternalException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageDiskUsageTest {
    private static final Layer BASE = layer("base", 1000);
    private static final Layer APP = layer("app", 300);
    private static final Layer TOOLS = layer("tools", 50);
    private static final Layer LONE = layer("lone", 7);

    @Test
    void layersSharedByImagesAreCountedOnce_andEachImageKnowsWhatOthersShareWithIt() {
        Image base = image("base", 1000);
        Image app = image("app", 1300);
        Image tools = image("tools", 1050);
        Image lone = image("lone", 7);
        Map<String, List<Layer>> layers = Map.of(base.id(), List.of(BASE), app.id(), List.of(BASE, APP),
                tools.id(), List.of(BASE, TOOLS), lone.id(), List.of(LONE));

        ImageDiskUsage du = ImageDiskUsage.of(List.of(base, app, tools, lone), i -> layers.get(i.id()));

        assertThat(du.layersSize()).isEqualTo(1000 + 300 + 50 + 7);
        assertThat(du.sharedSize(base.id())).isEqualTo(1000);
        assertThat(du.sharedSize(app.id())).isEqualTo(1000); // unique: 300
        assertThat(du.sharedSize(tools.id())).isEqualTo(1000);
        assertThat(du.sharedSize(lone.id())).isZero();
    }

    @Test
    void anImageWhoseLayersCannotBeRead_keepsItsRecordedSize_andAnUnknownSharedSize() {
        Image ok = image("ok", 1000);
        Image broken = image("broken", 400);

        ImageDiskUsage du = ImageDiskUsage.of(List.of(ok, broken), i -> {
            if (i == broken) {
                throw new InternalException("layer missing");
            }
            return List.of(BASE);
        });

        assertThat(du.layersSize()).isEqualTo(1400);
        assertThat(du.sharedSize(ok.id())).isZero();
        assertThat(du.sharedSize(broken.id())).isEqualTo(-1);
        assertThat(du.sharedSize("sha256:not-listed")).isEqualTo(-1);
    }

    private static Layer layer(String name, long size) {
        return new Layer(Digest.sha256("chain " + name), Digest.sha256("diff " + name), null, size, size + 512);
    }

    private static Image image(String name, long size) {
        return new Image(Digest.sha256("config " + name).toString(), List.of(name + ":latest"), List.of(),
                Instant.EPOCH, size, null, "");
    }
}
