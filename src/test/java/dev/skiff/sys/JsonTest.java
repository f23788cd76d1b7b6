package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.junit.jupiter.api.Test;

/** The shared mapper bounds a document's tokens: a few MiB of tiny values must not become millions of nodes. */
class JsonTest {
    @Test
    void aDocumentOfTooManyTokens_isRefused_andAnOrdinaryOneIsRead() throws Exception {
        StringBuilder many = new StringBuilder("[");
        for (long i = 0; i < Json.MAX_TOKENS; i++) {
            many.append("1,");
        }
        many.append("1]");
        assertThatThrownBy(() -> Json.MAPPER.readTree(many.toString())).isInstanceOf(StreamConstraintsException.class);
        assertThat(Json.MAPPER.readTree("{\"a\":[1,2,3]}").path("a").size()).isEqualTo(3);
    }
}
