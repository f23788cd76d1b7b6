package dev.skiff.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdleHeapTest {
    private static final long MIB = 1L << 20;

    @Test
    void shouldCollect_onlyALargeMostlyEmptyHeap() {
        assertThat(IdleHeap.shouldCollect(160 * MIB, 30 * MIB)).isTrue();
        assertThat(IdleHeap.shouldCollect(160 * MIB, 120 * MIB)).as("mostly in use").isFalse();
        assertThat(IdleHeap.shouldCollect(32 * MIB, 4 * MIB)).as("already small").isFalse();
    }
}
