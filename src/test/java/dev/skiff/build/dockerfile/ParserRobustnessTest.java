package dev.skiff.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.errors.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Untrusted Dockerfiles: thousands of random mutations of real ones either parse, plan and substitute,
 * or fail with an InvalidArgumentException; never another exception.
 */
class ParserRobustnessTest {
    private static final String SEED = """
            # syntax=docker/dockerfile:1
            # escape=\\
            ARG BASE=busybox
            FROM --platform=$BUILDPLATFORM ${BASE:-x} AS build
            ENV A="b c" D=${A:+e}
            RUN --mount=type=cache,target=/c,uid=${U:-1} --network=none <<EOF bash
            echo "$A"
            EOF
            COPY --from=build --chown=1:2 --chmod=u+x --exclude=*.md <<-'X' a* /dst/
            \tline
            X
            HEALTHCHECK --interval=1s CMD ["true"]
            LABEL k='v' "q"="r s"
            ONBUILD COPY . /
            FROM build
            WORKDIR ${D%%e}/app
            CMD ["a", "b"]
            """;
    private static final String ALPHABET = "\\`$'\"{}[]:-+?#%/=<>,.* \t\n\rAZaz09-_";

    @Test
    void randomMutations_failOnlyWithInvalidArgument() {
        Random random = new Random(4);
        for (int i = 0; i < 1500; i++) {
            StringBuilder text = new StringBuilder(SEED);
            int edits = 1 + random.nextInt(6);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(text.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 1 -> {
                        if (at < text.length()) {
                            text.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < text.length()) {
                            text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                        }
                    }
                }
            }
            exercise(text.toString());
        }
    }

    @Test
    void randomWords_lexOnlyWithInvalidArgument() {
        Random random = new Random(7);
        Map<String, String> env = Map.of("A", "abc", "E", "");
        for (int i = 0; i < 8000; i++) {
            StringBuilder w = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                w.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            try {
                new ShellLex(random.nextBoolean() ? '\\' : '`').processWords(w.toString(), env);
                ShellLex.heredoc('\\').processWord(w.toString(), env);
            } catch (InvalidArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    private static void exercise(String text) {
        try {
            Dockerfile df = DockerfileParser.parse("Dockerfile", text);
            Variables globals = Variables.global(df, Map.of("U", "5"), PlatformArgs.host());
            StageGraph.plan(df, null, globals);
            for (Stage stage : df.stages()) {
                Variables scope = globals.stage(List.of("PATH=/bin"));
                for (Instruction in : stage.instructions()) {
                    Instruction e = InstructionExpander.expand(in, scope);
                    if (e instanceof Instruction.Arg a) {
                        scope.declare(a);
                    } else if (e instanceof Instruction.Run r) {
                        RunScript.plan(r, List.of("/bin/sh", "-c"));
                    }
                }
            }
        } catch (InvalidArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
