package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DetachKeysTest {
    @Test
    void detachKeys_holdBackPartialMatches() throws Exception {
        DetachKeys keys = DetachKeys.parse("");
        java.io.ByteArrayOutputStream passed = new java.io.ByteArrayOutputStream();
        assertThat(keys.filter(new byte[] {'a', 16}, 0, 2, passed::write)).isFalse();
        assertThat(passed.toByteArray()).containsExactly('a');
        assertThat(keys.filter(new byte[] {'b'}, 0, 1, passed::write)).isFalse();
        assertThat(passed.toByteArray()).containsExactly('a', 16, 'b');
        assertThat(keys.filter(new byte[] {16, 17, 'z'}, 0, 3, passed::write)).isTrue();
        assertThat(DetachKeys.parse("ctrl-a,x").filter(new byte[] {1, 'x'}, 0, 2, passed::write)).isTrue();
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-1")).hasMessageContaining("Invalid detach keys");
    }
}
