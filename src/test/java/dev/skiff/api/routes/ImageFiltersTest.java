package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ImageFiltersTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void timestamp_unixRfc3339AndDurations() {
        assertThat(dev.skiff.engine.Times.parseApiTime("1700000000", NOW)).isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(dev.skiff.engine.Times.parseApiTime("2024-01-02T03:04:05Z", NOW)).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(dev.skiff.engine.Times.parseApiTime("2024-01-02", NOW)).isEqualTo(java.time.LocalDate.parse("2024-01-02")
                .atStartOfDay(java.time.ZoneId.systemDefault()).toInstant());
        assertThat(dev.skiff.engine.Times.parseApiTime("24h", NOW)).isEqualTo(NOW.minus(Duration.ofHours(24)));
        assertThat(dev.skiff.engine.Times.parseApiTime("1h30m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
        assertThatThrownBy(() -> dev.skiff.engine.Times.parseApiTime("yesterday", NOW)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void referenceMatches_likeDockersFamiliarMatch() {
        assertThat(ImageFilters.referenceMatches("busybox", "docker.io/library/busybox:latest")).isTrue();
        assertThat(ImageFilters.referenceMatches("busy*:lat*", "docker.io/library/busybox:latest")).isTrue();
        assertThat(ImageFilters.referenceMatches("*", "docker.io/foo/bar:1")).isFalse();
        assertThat(ImageFilters.referenceMatches("foo/*", "docker.io/foo/bar:1")).isTrue();
    }

    @Test
    void referenceFilter_findsAnImagePulledByDigestOnly_underItsRepository() {
        String digest = "127.0.0.1:5055/t/dig@sha256:" + "a".repeat(64);
        dev.skiff.image.Image byDigest = new dev.skiff.image.Image("sha256:" + "b".repeat(64), java.util.List.of(),
                java.util.List.of(digest, "other/repo@sha256:" + "c".repeat(64)), NOW, 1, null, "");
        java.util.Map<String, java.util.List<String>> filters = java.util.Map.of("reference",
                java.util.List.of("127.0.0.1:5055/t/dig"));
        assertThat(ImageFilters.forList(filters, null).test(byDigest)).isTrue();
        assertThat(ImageFilters.onlyMatchingTags(byDigest, filters).repoDigests()).containsExactly(digest);
        assertThat(ImageFilters.forList(java.util.Map.of("reference", java.util.List.of("nothing")), null)
                .test(byDigest)).isFalse();
    }

    @Test
    void topLevel_leavesOutUntaggedIntermediates_keepsTaggedParentsAndDanglingLeaves() {
        dev.skiff.image.Image base = image("1", java.util.List.of("busybox:latest"), "");
        dev.skiff.image.Image step = image("2", java.util.List.of(), "sha256:" + "1".repeat(64));
        dev.skiff.image.Image built = image("3", java.util.List.of("b1:latest"), "sha256:" + "2".repeat(64));
        dev.skiff.image.Image dangling = image("4", java.util.List.of(), "sha256:" + "1".repeat(64));

        assertThat(ImageFilters.topLevel(java.util.List.of(base, step, built, dangling)))
                .containsExactly(base, built, dangling);
    }

    private static dev.skiff.image.Image image(String hex, java.util.List<String> tags, String parent) {
        return new dev.skiff.image.Image("sha256:" + hex.repeat(64), tags, java.util.List.of(), NOW, 1, null, parent);
    }
}
