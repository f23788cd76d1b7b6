package dev.skiff.cli.commands.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IgnorePatternsTest {
    @Test
    void patternsExceptionsAndParents() {
        IgnorePatterns p = IgnorePatterns.parse("""
                # comment
                **/*.log
                /build
                !build/keep.txt
                tmp?
                """);
        assertThat(p.excluded("a.log")).isTrue();
        assertThat(p.excluded("deep/er/a.log")).isTrue();
        assertThat(p.excluded("a.txt")).isFalse();
        assertThat(p.excluded("build")).isTrue();
        assertThat(p.excluded("build/out.bin")).isTrue();
        assertThat(p.excluded("build/keep.txt")).isFalse();
        assertThat(p.mayReinclude("build")).isTrue();
        assertThat(p.excluded("tmp1")).isTrue();
        assertThat(p.excluded("tmp12")).isFalse();
    }

    @Test
    void empty_excludesNothing() {
        assertThat(IgnorePatterns.none().excluded("anything")).isFalse();
        assertThat(IgnorePatterns.parse("\n# only a comment\n").isEmpty()).isTrue();
    }
}
