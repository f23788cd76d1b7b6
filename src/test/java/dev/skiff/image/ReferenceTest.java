package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class ReferenceTest {
    private static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void parse_officialImage_normalizesToLibrary() {
        Reference r = Reference.parseWithDefaultTag("busybox");
        assertThat(r.toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(r.familiar()).isEqualTo("busybox:latest");
        assertThat(r.familiarName()).isEqualTo("busybox");
    }

    @Test
    void parse_userImage_keepsPath() {
        Reference r = Reference.parse("foo/bar:1.0");
        assertThat(r.toString()).isEqualTo("docker.io/foo/bar:1.0");
        assertThat(r.familiar()).isEqualTo("foo/bar:1.0");
    }

    @Test
    void parse_domainDetection() {
        assertThat(Reference.parse("localhost/x").domain()).isEqualTo("localhost");
        assertThat(Reference.parse("localhost:5000/x:1").domain()).isEqualTo("localhost:5000");
        assertThat(Reference.parse("localhost:5000/x:1").familiar()).isEqualTo("localhost:5000/x:1");
        assertThat(Reference.parse("registry.example.com/a/b/c").path()).isEqualTo("a/b/c");
        assertThat(Reference.parse("index.docker.io/busybox").toString()).isEqualTo("docker.io/library/busybox");
        assertThat(Reference.parse("docker.io/library/busybox:1").familiar()).isEqualTo("busybox:1");
        assertThat(Reference.parse("foo/bar").domain()).isEqualTo("docker.io");
        assertThat(Reference.parse("[::1]:5000/x").domain()).isEqualTo("[::1]:5000");
    }

    @Test
    void parse_digest_keepsNoDefaultTag() {
        Reference r = Reference.parseWithDefaultTag("busybox@sha256:" + HEX);
        assertThat(r.tag()).isNull();
        assertThat(r.digest()).isEqualTo("sha256:" + HEX);
        assertThat(r.familiar()).isEqualTo("busybox@sha256:" + HEX);
        Reference both = Reference.parse("busybox:1@sha256:" + HEX);
        assertThat(both.tag()).isEqualTo("1");
    }

    @Test
    void parse_tagWithUppercaseAndDots_isFine() {
        assertThat(Reference.parse("busybox:V1.2_x-y").tag()).isEqualTo("V1.2_x-y");
    }

    @Test
    void parse_uppercaseName_refusedWithDockersWording() {
        assertThatThrownBy(() -> Reference.parse("Busybox"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid reference format: repository name (library/Busybox) must be lowercase");
    }

    @Test
    void parse_invalid_refused() {
        for (String bad : new String[] {"", "a..b", "-x", "x-", "a/", "/a", "a//b", "a:b:c", "x:-tag", "a b",
                "a@sha256:abc", "x:" + "t".repeat(129), HEX, "a__-b"}) {
            assertThatThrownBy(() -> Reference.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("invalid");
        }
        assertThat(Reference.isValid("a.b_c__d-e--f")).isTrue();
    }

    @Test
    void parse_tooLong_refused() {
        assertThatThrownBy(() -> Reference.parse("a/" + "b".repeat(260)))
                .hasMessageContaining("must not be more than 255 characters");
    }
}
