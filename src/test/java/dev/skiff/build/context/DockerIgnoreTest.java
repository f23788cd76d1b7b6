package dev.skiff.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The matching table of the .dockerignore documentation and Go's filepath.Match, plus precedence. */
class DockerIgnoreTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "*/temp*|somedir/temporary.txt|true",
            "*/temp*|somedir/temp|true",
            "*/temp*|temp|false",
            "*/temp*|a/b/temp|false",
            "*/*/temp*|somedir/subdir/temporary.txt|true",
            "temp?|tempa|true",
            "temp?|temp|false",
            "temp?|tempab|false",
            "**/*.go|a.go|true",
            "**/*.go|x/y/z/a.go|true",
            "**/*.go|x/a.go.txt|false",
            "src/**|src/a/b|true",
            "a/**/b|a/b|true",
            "a/**/b|a/x/y/b|true",
            "a/**/b|ab|false",
            "*.md|README.md|true",
            "*.md|docs/README.md|false",
            "[a-c]x|bx|true",
            "[a-c]x|dx|false",
            "[^a-c]x|dx|true",
            "[^a-c]x|/x|false",
            "arr[[]0].txt|arr[0].txt|true",
            "\\*x|*x|true",
            "\\*x|ax|false",
            "a?c|a/c|false",
    })
    void pathPattern_matches(String pattern, String path, boolean expected) {
        assertThat(PathPattern.compile(pattern).matches(path)).isEqualTo(expected);
    }

    @Test
    void clean_normalizesLikeGo() {
        assertThat(PathPattern.clean("./a//b/../c/")).isEqualTo("a/c");
        assertThat(PathPattern.clean("/abs/x")).isEqualTo("abs/x");
        assertThat(PathPattern.clean("../../etc/passwd")).isEqualTo("etc/passwd");
        assertThat(PathPattern.clean("/")).isEmpty();
    }

    @Test
    void excluded_lastMatchWinsAndParentsExclude() {
        DockerIgnore ignore = DockerIgnore.parse("""
                # comment
                *.md
                !README*.md
                README-secret.md
                /build/
                  node_modules
                temp?
                """);
        assertThat(ignore.excluded("CHANGES.md")).isTrue();
        assertThat(ignore.excluded("README.md")).isFalse();
        assertThat(ignore.excluded("README-secret.md")).isTrue();
        assertThat(ignore.excluded("build")).isTrue();
        assertThat(ignore.excluded("build/out/a.o")).as("a parent matches").isTrue();
        assertThat(ignore.excluded("node_modules/x/index.js")).isTrue();
        assertThat(ignore.excluded("src/node_modules")).isFalse();
        assertThat(ignore.excluded("tempa")).isTrue();
        assertThat(ignore.excluded("src/main.go")).isFalse();
        assertThat(ignore.excluded("# comment")).isFalse();
    }

    @Test
    void exceptions_insideExcludedDirectories() {
        DockerIgnore ignore = DockerIgnore.parse("docs\n!docs/keep.txt\n");
        assertThat(ignore.excluded("docs/other.txt")).isTrue();
        assertThat(ignore.excluded("docs/keep.txt")).isFalse();
        assertThat(ignore.canSkipDirectory("docs")).isFalse();
        assertThat(DockerIgnore.parse("docs\n").canSkipDirectory("docs")).isTrue();
        assertThatThrownBy(() -> DockerIgnore.parse("!\n")).hasMessageContaining("illegal exclusion pattern");
    }

    @Test
    void forDockerfile_prefersTheDockerfileSpecificFile() throws Exception {
        Files.createDirectories(tmp.resolve("sub"));
        Files.writeString(tmp.resolve(".dockerignore"), "a\n");
        assertThat(DockerIgnore.forDockerfile(tmp, Path.of("sub/Dev.Dockerfile")).excluded("a")).isTrue();
        Files.writeString(tmp.resolve("sub/Dev.Dockerfile.dockerignore"), "b\n");
        DockerIgnore specific = DockerIgnore.forDockerfile(tmp, Path.of("sub/Dev.Dockerfile"));
        assertThat(specific.excluded("b")).isTrue();
        assertThat(specific.excluded("a")).isFalse();
        assertThat(DockerIgnore.forDockerfile(tmp.resolve("sub"), Path.of("Dockerfile"))).isSameAs(DockerIgnore.NONE);
    }
}
