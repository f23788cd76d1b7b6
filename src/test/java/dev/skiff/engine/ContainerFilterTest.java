package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ContainerFilterTest {
    @Test
    void namesMatchAsDockerdsRegularExpressions() {
        assertThat(ContainerFilter.goMatch("web", "my-web-1")).isTrue(); // unanchored
        assertThat(ContainerFilter.goMatch("^f1$", "f1")).isTrue();
        assertThat(ContainerFilter.goMatch("^f1$", "/f1")).isFalse(); // the filter tries both forms of a name
        assertThat(ContainerFilter.goMatch("^f1$", "f10")).isFalse();
        assertThat(ContainerFilter.goMatch("a(", "a(")).isTrue(); // equal text, even when it is no expression
        assertThat(ContainerFilter.goMatch("a(", "xa(b")).isFalse();
    }

    @Test
    void exitedAndHealthValues_areChecked_asDockerdRefusesOthers() {
        assertThatThrownBy(() -> new ContainerFilter(true, 0, Map.of("exited", List.of("x"))))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid filter 'exited=x': use an exit code");
        assertThatThrownBy(() -> new ContainerFilter(true, 0, Map.of("health", List.of("sick"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid filter 'health=sick': use starting, healthy, unhealthy or none");
        new ContainerFilter(true, 0, Map.of("exited", List.of("0", "-1", "137"), "health", List.of("none", "healthy")));
    }
}
