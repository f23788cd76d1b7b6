package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Image names hold slashes: "{name...}" followed by a suffix must still split at the right place. */
class PathPatternSuffixTest {
    @Test
    void match_restVariableWithSuffix() {
        PathPattern p = PathPattern.compile("/images/{name...}/json");
        assertThat(p.match("/images/busybox/json")).contains(Map.of("name", "busybox"));
        assertThat(p.match("/images/localhost:5000/a/b:1/json")).contains(Map.of("name", "localhost:5000/a/b:1"));
        assertThat(p.match("/images/json/json")).contains(Map.of("name", "json"));
        assertThat(p.match("/images/json")).isEqualTo(Optional.empty());
        assertThat(PathPattern.compile("/images/{name...}").match("/images/a/b")).contains(Map.of("name", "a/b"));
    }
}
