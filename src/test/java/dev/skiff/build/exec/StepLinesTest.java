package dev.skiff.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.build.BuildOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepLinesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void wholeLines_stderrInTheClassicBuildersRed_andAnUncolouredTailInArrivalOrder() {
        List<String> sent = new ArrayList<>();
        StepLines lines = new StepLines(new BuildOutput() {
            @Override
            public void stream(String text) {
                sent.add(text);
            }

            @Override
            public void imageId(String id) {
            }
        });
        lines.stdout(b("out1\nou"));
        lines.stderr(b("err\n"));
        lines.stdout(b("t2\n\u00e9"));
        lines.stderr(b("last words"));
        lines.flush();
        assertThat(sent).containsExactly("out1\n", "\033[91merr\n\033[0m", "out2\n", "\u00e9\n",
                "\033[91mlast words\n\033[0m");
        assertThat(lines.tail()).containsExactly("out1", "err", "out2", "\u00e9", "last words");
    }
}
