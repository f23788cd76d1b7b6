package dev.skiff.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    private static final String D1 = "sha256:" + "a".repeat(64);
    private static final String D2 = "sha256:" + "b".repeat(64);
    private static final String D3 = "sha256:" + "c".repeat(64);

    private static Manifests.Parsed parse(String json, String contentType) {
        return Manifests.parse(json.getBytes(StandardCharsets.UTF_8), contentType, "x");
    }

    private static String entry(String digest, String arch, String variant) {
        return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":10,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"" + arch + "\""
                + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
    }

    @Test
    void parse_dockerSchema2Manifest() {
        Manifests.Parsed p = parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":5},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.DOCKER_LAYER + "\",\"digest\":\"" + D2 + "\",\"size\":7}]}", null);
        Manifests.ImageManifest m = ((Manifests.ParsedManifest) p).manifest();
        assertThat(m.config().digest()).isEqualTo(D1);
        assertThat(m.layers()).extracting(Manifests.Descriptor::size).containsExactly(7L);
    }

    @Test
    void index_choosesAmd64ByDefault_andTheRequestedPlatform() {
        Manifests.Index index = ((Manifests.ParsedIndex) parse("{\"schemaVersion\":2,\"manifests\":["
                + entry(D1, "arm", "v7") + "," + entry(D2, "arm64", "v8") + "," + entry(D3, "amd64", null) + "]}",
                MediaTypes.OCI_INDEX)).index();
        assertThat(index.choose(Manifests.Platform.parse("linux/amd64"), "x").digest()).isEqualTo(D3);
        assertThat(index.choose(Manifests.Platform.parse("linux/arm64"), "x").digest()).isEqualTo(D2);
        assertThat(index.choose(Manifests.Platform.parse("linux/aarch64"), "x").digest()).isEqualTo(D2);
        assertThat(index.choose(Manifests.Platform.parse("linux/arm/v7"), "x").digest()).isEqualTo(D1);
        assertThatThrownBy(() -> index.choose(Manifests.Platform.parse("linux/s390x"), "x"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no matching manifest for linux/s390x");
    }

    @Test
    void platform_isReadAsContainerdReadsIt_andUnknownNamesAreRefused() {
        assertThat(Manifests.Platform.parse("arm64").toString()).isEqualTo("linux/arm64"); // an architecture alone
        assertThat(Manifests.Platform.parse("linux").toString()).isEqualTo("linux/amd64");
        assertThat(Manifests.Platform.parse("Linux/X86_64").toString()).isEqualTo("linux/amd64");
        assertThat(Manifests.Platform.parse("linux/arm64/v8").toString()).isEqualTo("linux/arm64");
        assertThat(Manifests.Platform.parse("windows/amd64").toString()).isEqualTo("windows/amd64");
        for (String bad : new String[] {"bogus", "linux/bogus", "nosuchos/amd64", "a/b/c/d"}) {
            assertThatThrownBy(() -> Manifests.Platform.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
        assertThatThrownBy(() -> Manifests.Platform.parse("bogus"))
                .hasMessageStartingWith("\"bogus\": unknown operating system or architecture");
    }

    @Test
    void parse_refusesSchema1_unknownTypes_andMalformedDescriptors() {
        assertThatThrownBy(() -> parse("{\"schemaVersion\":1,\"fsLayers\":[]}", MediaTypes.DOCKER_SCHEMA1_SIGNED))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("schema 1");
        assertThatThrownBy(() -> parse("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example+json\"}", null))
                .hasMessageContaining("not an image");
        assertThatThrownBy(() -> parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"digest\":\"sha256:zz\",\"size\":1},\"layers\":[]}", null))
                .hasMessageContaining("invalid digest");
        assertThatThrownBy(() -> parse("not json", null)).hasMessageContaining("not valid JSON");
    }

    @Test
    void mediaTypes_tellForeignLayersApart() {
        assertThat(MediaTypes.isForeignLayer(MediaTypes.DOCKER_FOREIGN_LAYER)).isTrue();
        assertThat(MediaTypes.isForeignLayer("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip")).isTrue();
        assertThat(MediaTypes.isForeignLayer(MediaTypes.DOCKER_LAYER)).isFalse();
        assertThat(MediaTypes.isLayer("application/vnd.oci.image.layer.v1.tar+zstd")).isTrue();
    }
}
