package dev.skiff.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.registry.client.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BuildPullsTest {
    private static String header(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void credentialsFor_picksTheEntryOfTheImagesRegistry() {
        String h = header("{\"https://index.docker.io/v1/\":{\"username\":\"hub\",\"password\":\"p1\"},"
                + "\"127.0.0.1:5000\":{\"username\":\"local\",\"password\":\"p2\"}}");
        assertThat(BuildPulls.credentialsFor("127.0.0.1:5000", h).username()).isEqualTo("local");
        assertThat(BuildPulls.credentialsFor("docker.io", h).username()).isEqualTo("hub");
        assertThat(BuildPulls.credentialsFor("other:5000", h)).isEqualTo(Credentials.ANONYMOUS);
    }

    @Test
    void credentialsFor_noHeader_isAnonymous() {
        assertThat(BuildPulls.credentialsFor("docker.io", "")).isEqualTo(Credentials.ANONYMOUS);
        assertThat(BuildPulls.credentialsFor("docker.io", header("{}"))).isEqualTo(Credentials.ANONYMOUS);
    }

    @Test
    void credentialsFor_garbage_isABadRequest() {
        assertThatThrownBy(() -> BuildPulls.credentialsFor("docker.io", "!!!not base64"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("X-Registry-Config");
        assertThatThrownBy(() -> BuildPulls.credentialsFor("docker.io", "x".repeat(300_000)))
                .isInstanceOf(InvalidArgumentException.class);
    }
}
