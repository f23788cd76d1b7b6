package dev.skiff.cli.commands.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docker's reference.ParseNormalizedNamed errors, each checked against `docker tag` of the docker 28 CLI. */
class ReferencesTest {
    @Test
    void validReferences_haveNoProblem() {
        for (String ok : new String[] {"busybox", "a/b:1", "localhost:5000/a/b:1", "Registry.Example.com/a:1", "[::1]:5000/x",
                "sha256:0123456789012345678901234567890123456789012345678901234567890123", "a__b", "a---b"}) {
            assertThat(References.problem(ok)).as(ok).isNull();
        }
    }

    @Test
    void invalidReferences_sayWhatDockerSays() {
        assertThat(References.problem("Bad:tag")).isEqualTo("invalid reference format: repository name (library/Bad) must be lowercase");
        assertThat(References.problem("a/B")).isEqualTo("invalid reference format: repository name (a/B) must be lowercase");
        assertThat(References.problem("ok:bad tag")).isEqualTo("invalid reference format");
        assertThat(References.problem("")).isEqualTo("invalid reference format");
        assertThat(References.problem("a:")).isEqualTo("invalid reference format");
        assertThat(References.problem("a..b")).isEqualTo("invalid reference format");
        assertThat(References.problem("a".repeat(256))).isEqualTo("repository name must not be more than 255 characters");
        assertThat(References.problem("0123456789012345678901234567890123456789012345678901234567890123")).isEqualTo(
                "invalid repository name (0123456789012345678901234567890123456789012345678901234567890123), "
                        + "cannot specify 64-byte hexadecimal strings");
    }
}
