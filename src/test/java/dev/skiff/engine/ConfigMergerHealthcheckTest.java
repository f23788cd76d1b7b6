package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.image.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The image's health check under the user's, field by field, as dockerd's daemon.merge. */
class ConfigMergerHealthcheckTest {
    private static ImageConfig.Config image(Map<String, Object> healthcheck) {
        return new ImageConfig.Config(null, null, null, null, List.of("sh"), null, null, null, null, null,
                healthcheck, null, null);
    }

    private static final Map<String, Object> IMAGE_CHECK = Map.of("Test", List.of("CMD-SHELL", "true"),
            "Interval", 7_000_000_000L, "Retries", 9);

    @Test
    void aTimeoutAlone_keepsTheImagesTestIntervalAndRetries() throws Exception {
        var user = EngineFixture.body("{\"Image\":\"x\",\"Healthcheck\":{\"Test\":null,\"Timeout\":2000000000}}");
        var merged = ConfigMerger.merge(user, image(IMAGE_CHECK), "h");
        assertThat(merged.get("Healthcheck").toString()).isEqualTo(
                "{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":7000000000,\"Timeout\":2000000000,\"Retries\":9}");
    }

    @Test
    void aTestOfTheUsers_keepsTheImagesTimingsItLeavesZero_andNoneToo() throws Exception {
        var user = EngineFixture.body("{\"Image\":\"x\",\"Healthcheck\":{\"Test\":[\"CMD\",\"false\"],\"Interval\":0,"
                + "\"Retries\":3}}");
        assertThat(ConfigMerger.merge(user, image(IMAGE_CHECK), "h").get("Healthcheck").toString()).isEqualTo(
                "{\"Test\":[\"CMD\",\"false\"],\"Interval\":7000000000,\"Retries\":3}");
        var none = EngineFixture.body("{\"Image\":\"x\",\"Healthcheck\":{\"Test\":[\"NONE\"]}}");
        assertThat(ConfigMerger.merge(none, image(IMAGE_CHECK), "h").get("Healthcheck").toString()).isEqualTo(
                "{\"Test\":[\"NONE\"],\"Interval\":7000000000,\"Retries\":9}");
    }

    @Test
    void noUserCheck_takesTheImages_andNoImageCheck_leavesTheUsers() throws Exception {
        var user = EngineFixture.body("{\"Image\":\"x\"}");
        assertThat(ConfigMerger.merge(user, image(IMAGE_CHECK), "h").get("Healthcheck").get("Retries").asInt())
                .isEqualTo(9);
        var own = EngineFixture.body("{\"Image\":\"x\",\"Healthcheck\":{\"Timeout\":2000000000}}");
        assertThat(ConfigMerger.merge(own, image(null), "h").get("Healthcheck").toString())
                .isEqualTo("{\"Timeout\":2000000000}");
    }
}
