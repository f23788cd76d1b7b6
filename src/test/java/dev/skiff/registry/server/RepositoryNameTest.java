package dev.skiff.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepositoryNameTest {
    @Test
    void isValid_acceptsSpecNames() {
        assertThat(RepositoryName.isValid("busybox")).isTrue();
        assertThat(RepositoryName.isValid("library/busybox")).isTrue();
        assertThat(RepositoryName.isValid("a/b/c-d__e.f_g")).isTrue();
        assertThat(RepositoryName.isValid("x1---y2")).isTrue();
    }

    @Test
    void isValid_refusesPathTricksAndBadCharacters() {
        for (String bad : new String[] {"..", "a/..", "../a", "a/../b", ".a", "a.", "a//b", "/a", "a/", "A", "a b",
                "a\u0000b", "_a", "a/_layers", "a...b", "a___b", "", "a%2fb"}) {
            assertThat(RepositoryName.isValid(bad)).as(bad).isFalse();
        }
        assertThat(RepositoryName.isValid("a".repeat(256))).isFalse();
        assertThat(RepositoryName.isValid(null)).isFalse();
    }

    @Test
    void require_throwsNameInvalid() {
        assertThatThrownBy(() -> RepositoryName.require("a/../b"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
    }

    @Test
    void isTag_followsSpec() {
        assertThat(RepositoryName.isTag("latest")).isTrue();
        assertThat(RepositoryName.isTag("v1.2.3-rc_1")).isTrue();
        assertThat(RepositoryName.isTag("_x")).isTrue();
        assertThat(RepositoryName.isTag(".x")).isFalse();
        assertThat(RepositoryName.isTag("-x")).isFalse();
        assertThat(RepositoryName.isTag("a/b")).isFalse();
        assertThat(RepositoryName.isTag("a".repeat(129))).isFalse();
    }

    @Test
    void route_findsEndpointFromTheEndOfNamesWithSlashes() {
        assertThat(Route.parse("/v2/")).isEqualTo(new Route(Route.Kind.BASE, null, null));
        assertThat(Route.parse("/v2/a/blobs/b/manifests/latest")).isEqualTo(new Route(Route.Kind.MANIFEST, "a/blobs/b", "latest"));
        assertThat(Route.parse("/v2/a/b/blobs/uploads/")).isEqualTo(new Route(Route.Kind.UPLOAD_START, "a/b", null));
        assertThat(Route.parse("/v2/a/b/blobs/uploads/123")).isEqualTo(new Route(Route.Kind.UPLOAD, "a/b", "123"));
        assertThat(Route.parse("/v2/a/tags/list")).isEqualTo(new Route(Route.Kind.TAGS, "a", null));
        assertThat(Route.parse("/v2/a/referrers/sha256:x")).isEqualTo(new Route(Route.Kind.REFERRERS, "a", "sha256:x"));
        assertThat(Route.parse("/v3/a/tags/list")).isNull();
        assertThat(Route.parse("/v2/a/manifests/")).isNull();
    }
}
