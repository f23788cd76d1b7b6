package dev.skiff.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {
    @Test
    void parse_bearerWithQuotedParamsAndCommasInsideQuotes() {
        List<Challenge> cs = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/busybox:pull,push\"");
        assertThat(cs).hasSize(1);
        assertThat(cs.getFirst().scheme()).isEqualTo("bearer");
        assertThat(cs.getFirst().param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(cs.getFirst().param("service")).isEqualTo("registry.docker.io");
        assertThat(cs.getFirst().param("scope")).isEqualTo("repository:library/busybox:pull,push");
    }

    @Test
    void parse_basicAndSeveralChallengesInOneHeader() {
        List<Challenge> cs = Challenge.parse("Basic realm=\"reg\", Bearer realm=\"http://t/token\",service=s");
        assertThat(cs).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(cs.get(1).param("service")).isEqualTo("s");
    }

    @Test
    void parse_escapesAndGarbage() {
        assertThat(Challenge.parse("Bearer realm=\"a\\\"b\"").getFirst().param("realm")).isEqualTo("a\"b");
        assertThat(Challenge.parse("")).isEmpty();
        assertThat(Challenge.parse(null)).isEmpty();
        assertThat(Challenge.parse("x".repeat(10_000))).isEmpty();
        assertThat(Challenge.parse("Bearer").getFirst().params()).isEmpty();
    }
}
