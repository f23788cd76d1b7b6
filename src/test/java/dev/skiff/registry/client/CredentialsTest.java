package dev.skiff.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static String url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fromHeader_decodesBase64UrlJsonAsTheDockerCliSendsIt() {
        Credentials c = Credentials.fromHeader(url("{\"username\":\"me\",\"password\":\"p?>>\",\"serveraddress\":\"r\"}"));
        assertThat(c.username()).isEqualTo("me");
        assertThat(c.password()).isEqualTo("p?>>");
        assertThat(c.basicHeader()).isEqualTo("Basic " + Base64.getEncoder().encodeToString("me:p?>>".getBytes()));
    }

    @Test
    void fromHeader_acceptsPaddingTheStandardAlphabetAndTheAuthField() {
        String std = Base64.getEncoder().encodeToString("{\"auth\":\"bWU6cHc=\"}".getBytes(StandardCharsets.UTF_8));
        Credentials c = Credentials.fromHeader(std);
        assertThat(c.username()).isEqualTo("me");
        assertThat(c.password()).isEqualTo("pw");
    }

    @Test
    void fromHeader_emptyMeansAnonymous() {
        assertThat(Credentials.fromHeader("e30=").isAnonymous()).isTrue();
        assertThat(Credentials.fromHeader("e30").isAnonymous()).isTrue();
        assertThat(Credentials.fromHeader(null).isAnonymous()).isTrue();
        assertThat(Credentials.fromHeader("").isAnonymous()).isTrue();
    }

    @Test
    void fromHeader_refusesGarbage_andNeverPrintsTheSecret() {
        assertThatThrownBy(() -> Credentials.fromHeader("!!!")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Credentials.fromHeader(url("[1]"))).isInstanceOf(InvalidArgumentException.class);
        assertThat(Credentials.basic("me", "topsecret").toString()).doesNotContain("topsecret");
    }
}
