package dev.skiff.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.build.BuildOutput;
import org.junit.jupiter.api.Test;

class StageOutputTest {
    @Test
    void laterStagesWaitForEarlierOnes_thenFlushInOrder() {
        StringBuilder seen = new StringBuilder();
        BuildOutput sink = new BuildOutput() {
            @Override
            public void stream(String text) {
                seen.append(text);
            }

            @Override
            public void progress(String id, String status, long current, long total) {
                seen.append("[").append(status).append(' ').append(current).append("] ");
            }

            @Override
            public void imageId(String id) {
            }
        };
        StageOutput out = new StageOutput(sink, 3);
        out.channel(2).stream("c1 ");
        out.channel(1).stream("b1 ");
        out.channel(1).progress("", "b", 1, 2); // a buffered stage's counter would be stale by its flush
        out.channel(0).stream("a1 ");
        out.channel(0).progress("", "a", 1, 2);
        assertThat(seen).hasToString("a1 [a 1] ");
        out.finished(2);
        out.channel(0).stream("a2 ");
        out.finished(0);
        assertThat(seen).hasToString("a1 [a 1] a2 b1 ");
        out.channel(1).stream("b2 ");
        out.finished(1);
        assertThat(seen).hasToString("a1 [a 1] a2 b1 b2 c1 ");
    }
}
