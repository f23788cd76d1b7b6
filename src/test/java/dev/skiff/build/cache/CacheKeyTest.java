package dev.skiff.build.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
    private static final String PARENT = "sha256:" + "a".repeat(64);

    private static CacheKey key(String parent, String step, Map<String, String> args, List<String> content) {
        return new CacheKey(parent, step, args, content, "linux/amd64");
    }

    @Test
    void sameInputs_sameDigest_whateverTheArgOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("A", "1");
        ab.put("B", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("B", "2");
        ba.put("A", "1");
        assertThat(key(PARENT, "RUN make", ab, List.of()).digest())
                .isEqualTo(key(PARENT, "RUN make", ba, List.of()).digest())
                .startsWith("sha256:").hasSize(71);
    }

    @Test
    void everyPart_changesTheDigest() {
        String base = key(PARENT, "RUN make", Map.of("A", "1"), List.of("sha256:c")).digest();
        assertThat(key("sha256:" + "b".repeat(64), "RUN make", Map.of("A", "1"), List.of("sha256:c")).digest()).isNotEqualTo(base);
        assertThat(key(PARENT, "RUN make all", Map.of("A", "1"), List.of("sha256:c")).digest()).isNotEqualTo(base);
        assertThat(key(PARENT, "RUN make", Map.of("A", "2"), List.of("sha256:c")).digest()).isNotEqualTo(base);
        assertThat(key(PARENT, "RUN make", Map.of("A", "1"), List.of("sha256:d")).digest()).isNotEqualTo(base);
        assertThat(new CacheKey(PARENT, "RUN make", Map.of("A", "1"), List.of("sha256:c"), "linux/arm64").digest())
                .isNotEqualTo(base);
    }

    @Test
    void partsCannotCollideByConcatenation() {
        assertThat(key(PARENT, "RUN ab", Map.of(), List.of("c")).digest())
                .isNotEqualTo(key(PARENT, "RUN a", Map.of(), List.of("bc")).digest());
        assertThat(key(PARENT, "x", Map.of("A", "1=B"), List.of()).digest())
                .isNotEqualTo(key(PARENT, "x", Map.of("A=1", "B"), List.of()).digest());
    }

    @Test
    void anUnsetArg_differsFromAnEmptyOne() {
        Map<String, String> unset = new java.util.HashMap<>();
        unset.put("A", null);
        assertThat(key(PARENT, "x", unset, List.of()).digest())
                .isNotEqualTo(key(PARENT, "x", Map.of("A", ""), List.of()).digest());
    }

    @Test
    void scratchParent_isStable() {
        assertThat(key(null, "COPY a /", Map.of(), List.of()).digest()).isEqualTo(key("", "COPY a /", Map.of(), List.of()).digest());
    }
}
