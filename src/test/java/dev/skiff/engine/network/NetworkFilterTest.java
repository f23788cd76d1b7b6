package dev.skiff.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkFilterTest {
    private static final Network CUSTOM = new Network("abcdef" + "0".repeat(58), "frontend", "bridge",
            "2026-01-01T00:00:00Z", "br-abcdef000000", "10.1.0.0/16", "10.1.0.1", "", false, false, false,
            Map.of("tier", "web"), Map.of(), true);
    private static final Network HOST = new Network("1".repeat(64), "host", "host", "2026-01-01T00:00:00Z", "", "", "",
            "", false, false, true, Map.of(), Map.of(), false);

    @Test
    void list_filters() {
        assertThat(NetworkFilter.of(Map.of("name", List.of("front"))).matches(CUSTOM, false)).isTrue();
        // a regular expression, as dockerd's filters.Match reads it
        assertThat(NetworkFilter.of(Map.of("name", List.of("^host$"))).matches(HOST, false)).isTrue();
        assertThat(NetworkFilter.of(Map.of("name", List.of("^front$"))).matches(CUSTOM, false)).isFalse();
        assertThat(NetworkFilter.of(Map.of("name", List.of("end$"))).matches(CUSTOM, false)).isTrue();
        assertThat(NetworkFilter.of(Map.of("id", List.of("abc"))).matches(CUSTOM, false)).isTrue();
        assertThat(NetworkFilter.of(Map.of("driver", List.of("host"))).matches(CUSTOM, false)).isFalse();
        assertThat(NetworkFilter.of(Map.of("type", List.of("builtin"))).matches(HOST, false)).isTrue();
        assertThat(NetworkFilter.of(Map.of("type", List.of("custom"))).matches(HOST, false)).isFalse();
        assertThat(NetworkFilter.of(Map.of("label", List.of("tier=web"))).matches(CUSTOM, false)).isTrue();
        assertThat(NetworkFilter.of(Map.of("label", List.of("tier=db"))).matches(CUSTOM, false)).isFalse();
        assertThat(NetworkFilter.of(Map.of("dangling", List.of("true"))).matches(CUSTOM, true)).isFalse();
        assertThat(NetworkFilter.of(Map.of("dangling", List.of("true"))).matches(CUSTOM, false)).isTrue();
    }

    @Test
    void prune_until() {
        assertThat(NetworkFilter.forPrune(Map.of("until", List.of("1h"))).matches(CUSTOM, false)).isTrue();
        assertThat(NetworkFilter.forPrune(Map.of("until", List.of("2025-01-01T00:00:00Z"))).matches(CUSTOM, false)).isFalse();
        assertThat(NetworkFilter.forPrune(Map.of("label!", List.of("tier"))).matches(CUSTOM, false)).isFalse();
    }

    @Test
    void unknownKeysAndValues_areRefused() {
        assertThatThrownBy(() -> NetworkFilter.of(Map.of("colour", List.of("x")))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> NetworkFilter.of(Map.of("type", List.of("x")))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> NetworkFilter.forPrune(Map.of("name", List.of("x")))).isInstanceOf(InvalidArgumentException.class);
        // refused when the filter is made, before any network is there to compare (an empty prune said nothing)
        assertThatThrownBy(() -> NetworkFilter.forPrune(Map.of("until", List.of("soon"))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("invalid time soon");
        assertThat(NetworkFilter.forPrune(Map.of("until", List.of("1h30m"))).matches(CUSTOM, false)).isTrue();
    }
}
