package dev.skiff.cli.commands.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.cli.commands.CliFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How `skiff build` renders the daemon's legacy message stream. */
class BuildProgressTest {
    private static final String STREAM = """
            {"stream":"Step 1/2 : FROM busybox\\n"}
            {"stream":" ---> 0123456789ab\\n"}
            {"stream":"Step 2/2 : ADD http://h/f /f\\n"}
            {"status":"Downloading","progressDetail":{"current":0,"total":4},"progress":"[>    ]      0B/4B"}
            {"status":"Downloading","progressDetail":{"current":4,"total":4},"progress":"[=====>]      4B/4B"}
            {"stream":" ---> 123456789abc\\n"}
            {"aux":{"ID":"sha256:123456789abc"}}
            {"stream":"Successfully built 123456789abc\\n"}
            """;

    private static String render(String messages, boolean tty) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String id = new BuildProgress(out, tty).render(new ByteArrayInputStream(messages.getBytes(StandardCharsets.UTF_8)));
        assertThat(id).isEqualTo("sha256:123456789abc");
        return bytes.toString(StandardCharsets.UTF_8).replaceAll("#(\\d) DONE \\d+\\.\\ds", "#$1 DONE");
    }

    @Test
    void withoutATerminal_stepsAreNumbered_andByteProgressIsNotShown() throws Exception {
        assertThat(render(STREAM, false)).isEqualTo("""
                #1 [1/2] FROM busybox
                #1 DONE
                #2 [2/2] ADD http://h/f /f
                #2 DONE
                Successfully built 123456789abc
                """);
    }

    @Test
    void onATerminal_aDownloadIsOneLineRedrawnInPlace_endedBeforeTheNextText() throws Exception {
        assertThat(render(STREAM, true)).isEqualTo("""
                \033[1m#1 [1/2] FROM busybox\033[0m
                #1 DONE
                \033[1m#2 [2/2] ADD http://h/f /f\033[0m
                \r\033[2K#2 Downloading [>    ]      0B/4B\r\033[2K#2 Downloading [=====>]      4B/4B
                #2 DONE
                Successfully built 123456789abc
                """);
    }

    @Test
    void aRunsStderr_isRedOnATerminal_andPlainElsewhere() throws Exception {
        String run = """
                {"stream":"Step 1/1 : RUN echo out; echo err >&2\\n"}
                {"stream":" ---> Running in 0123456789ab\\n"}
                {"stream":"out\\n"}
                {"stream":"\\u001b[91merr\\n\\u001b[0m"}
                {"stream":" ---> Removed intermediate container 0123456789ab\\n"}
                {"stream":" ---> 123456789abc\\n"}
                {"aux":{"ID":"sha256:123456789abc"}}
                """;
        assertThat(render(run, false)).isEqualTo("""
                #1 [1/1] RUN echo out; echo err >&2
                #1 out
                #1 err
                #1 DONE
                """);
        assertThat(render(run, true)).contains("#1 out\n#1 \033[91merr\033[0m\n#1 DONE");
    }

    @Test
    void anErrorAfterProgress_startsOnItsOwnLine_andBecomesTheExitCode() {
        String failing = """
                {"stream":"Step 1/1 : ADD http://h/f /f\\n"}
                {"status":"Downloading","progressDetail":{"current":1,"total":4},"progress":"[=>   ]      1B/4B"}
                {"errorDetail":{"code":1,"message":"ADD: fetching http://h/f failed"},"error":"ADD: fetching http://h/f failed"}
                """;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new BuildProgress(out, true).render(
                new ByteArrayInputStream(failing.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(CliFailure.class).hasMessageContaining("ADD: fetching http://h/f failed");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("1B/4B\n#1 ERROR after ");
    }
}
