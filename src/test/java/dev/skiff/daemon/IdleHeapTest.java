package dev.skiff.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdleHeapTest {
    private static final long MIB = 1L << 20;

    @Test
    void shouldCollect_onlyALargeMostlyEmptyHeap() {
        assertThat(IdleHeap.shouldCollect(160 * MIB, 30 * MIB)).isTrue();
        assertThat(IdleHeap.shouldCollect(160 * MIB, 120 * MIB)).as("mostly in use").isFalse();
        assertThat(IdleHeap.shouldCollect(32 * MIB, 4 * MIB)).as("not large").isFalse();
    }

    @Test
    void quietAfterBurst_collectsOncePerBurst_andNeverWhileBusy() {
        assertThat(IdleHeap.quietAfterBurst(24 * MIB, 40, 40, 12)).as("quiet now, work since the last collection").isTrue();
        assertThat(IdleHeap.quietAfterBurst(24 * MIB, 41, 40, 12)).as("still collecting young garbage: busy").isFalse();
        assertThat(IdleHeap.quietAfterBurst(24 * MIB, 40, 40, 40)).as("nothing happened since the last collection").isFalse();
        assertThat(IdleHeap.quietAfterBurst(10 * MIB, 40, 40, 12)).as("already small").isFalse();
        assertThat(IdleHeap.quietAfterBurst(24 * MIB, 40, -1, 12)).as("the first look only records").isFalse();
    }
}
