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
            public void imageId(String id) {
            }
        };
        StageOutput out = new StageOutput(sink, 3);
        out.channel(2).stream("c1 ");
        out.channel(1).stream("b1 ");
        out.channel(0).stream("a1 ");
        assertThat(seen).hasToString("a1 ");
        out.finished(2);
        out.channel(0).stream("a2 ");
        out.finished(0);
        assertThat(seen).hasToString("a1 a2 b1 ");
        out.channel(1).stream("b2 ");
        out.finished(1);
        assertThat(seen).hasToString("a1 a2 b1 b2 c1 ");
    }
}
