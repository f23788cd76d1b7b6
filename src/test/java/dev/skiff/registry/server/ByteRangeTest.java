package dev.skiff.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void parse_closedOpenAndSuffixRanges() {
        assertThat(ByteRange.parse("bytes=0-9", 100)).contains(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=90-", 100)).contains(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-10", 100)).contains(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-500", 100)).contains(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=50-5000", 100)).contains(new ByteRange(50, 99));
        assertThat(new ByteRange(10, 19).contentRange(100)).isEqualTo("bytes 10-19/100");
        assertThat(new ByteRange(10, 19).length()).isEqualTo(10);
    }

    @Test
    void parse_ignoresWhatItDoesNotServe() {
        assertThat(ByteRange.parse(null, 100)).isEqualTo(Optional.empty());
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isEmpty();
        assertThat(ByteRange.parse("items=0-1", 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=-", 100)).isEmpty();
    }

    @Test
    void parse_unsatisfiable() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=9-3", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=9999999999999999999-", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void rangeStart_ofChunkContentRange() {
        assertThat(RegistryApi.rangeStart("0-99")).isZero();
        assertThat(RegistryApi.rangeStart("100-199")).isEqualTo(100);
        assertThat(RegistryApi.rangeStart("bytes 100-199/*")).isEqualTo(100);
        assertThatThrownBy(() -> RegistryApi.rangeStart("x-y")).isInstanceOf(RegistryException.class);
    }
}
