package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
}
