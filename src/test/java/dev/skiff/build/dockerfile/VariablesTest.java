package dev.skiff.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.build.dockerfile.Instruction.*;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ARG scoping, ENV precedence, the reference's substitution examples and which instructions expand. */
class VariablesTest {
    private static final PlatformArgs PLATFORM = new PlatformArgs("linux/amd64", "linux/arm64/v8");

    private static Dockerfile parse(String text) {
        return DockerfileParser.parse("Dockerfile", text);
    }

    /** Runs ARG and ENV of the last stage the way an executor does and returns its final scope. */
    private static Variables walk(Dockerfile df, Map<String, String> buildArgs, List<Instruction> expanded) {
        Variables scope = Variables.global(df, buildArgs, PLATFORM).stage(List.of("PATH=/bin"));
        for (Instruction in : df.stages().getLast().instructions()) {
            Instruction e = InstructionExpander.expand(in, scope);
            expanded.add(e);
            if (e instanceof Arg a) {
                scope.declare(a);
            } else if (e instanceof Env env) {
                env.vars().forEach(kv -> scope.setEnv(kv.key(), kv.value()));
            }
        }
        return scope;
    }

    @Test
    void referenceExample_workdirAddCopy() {
        List<Instruction> out = new java.util.ArrayList<>();
        walk(parse("FROM busybox\nENV FOO=/bar\nWORKDIR ${FOO}\nADD . $FOO\nCOPY \\$FOO /quux\n"), Map.of(), out);
        assertThat(((Workdir) out.get(1)).path()).isEqualTo("/bar");
        assertThat(((Add) out.get(2)).dest()).isEqualTo("/bar");
        assertThat(((Copy) out.get(3)).sources()).containsExactly("$FOO");
    }

    @Test
    void envUsesTheOldValueWithinOneInstruction() {
        List<Instruction> out = new java.util.ArrayList<>();
        Variables v = walk(parse("FROM x\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n"), Map.of(), out);
        assertThat(v.env()).containsExactly("PATH=/bin", "abc=bye", "def=hello", "ghi=bye");
    }

    @Test
    void argScoping_globalNeedsRedeclaration() {
        Dockerfile df = parse("ARG VERSION=latest\nARG OTHER=o\nFROM busybox:$VERSION\nARG VERSION\nRUN x\n");
        Variables global = Variables.global(df, Map.of(), PLATFORM);
        assertThat(new ShellLex('\\').processWord(df.stages().getFirst().base(), global.expansionEnv())).isEqualTo("busybox:latest");
        Variables stage = walk(df, Map.of(), new java.util.ArrayList<>());
        assertThat(stage.expansionEnv()).containsEntry("VERSION", "latest").doesNotContainKey("OTHER")
                .doesNotContainKey("TARGETARCH");
        assertThat(stage.runEnv()).containsExactly("VERSION=latest");
        assertThat(stage.declaredArgs()).containsExactly(Map.entry("VERSION", "latest"));
    }

    @Test
    void buildArgsOverrideDefaults_envOverridesArgs() {
        Dockerfile df = parse("FROM x\nARG user1=someuser\nARG buildno\nARG CONT_IMG_VER\nENV CONT_IMG_VER=${CONT_IMG_VER:-v1.0.0}\nRUN x");
        Variables v = walk(df, Map.of("buildno", "7", "CONT_IMG_VER", "v2.0.1", "unused", "1"), new java.util.ArrayList<>());
        assertThat(v.expansionEnv()).containsEntry("user1", "someuser").containsEntry("buildno", "7")
                .containsEntry("CONT_IMG_VER", "v2.0.1");
        assertThat(v.runEnv()).containsExactly("buildno=7", "user1=someuser");
        assertThat(v.unusedBuildArgs()).containsExactly("unused");
        Variables none = walk(df, Map.of(), new java.util.ArrayList<>());
        assertThat(none.env()).contains("CONT_IMG_VER=v1.0.0");
        assertThat(none.expansionEnv()).doesNotContainKey("buildno");
    }

    @Test
    void platformArgs_automaticInGlobalScope_declaredInStage() {
        Dockerfile df = parse("FROM --platform=$BUILDPLATFORM x\nARG TARGETPLATFORM\nARG TARGETARCH\nARG TARGETVARIANT\nRUN x");
        Variables global = Variables.global(df, Map.of(), PLATFORM);
        assertThat(global.expansionEnv()).containsEntry("BUILDPLATFORM", "linux/amd64").containsEntry("BUILDOS", "linux");
        Variables v = walk(df, Map.of(), new java.util.ArrayList<>());
        assertThat(v.expansionEnv()).containsEntry("TARGETPLATFORM", "linux/arm64/v8").containsEntry("TARGETARCH", "arm64")
                .containsEntry("TARGETVARIANT", "v8").doesNotContainKey("BUILDARCH");
    }

    @Test
    void proxyArgs_reachRunWithoutDeclaration() {
        Dockerfile df = parse("FROM x\nRUN x");
        Variables v = walk(df, Map.of("HTTP_PROXY", "http://p:3128", "FOO", "1"), new java.util.ArrayList<>());
        assertThat(v.runEnv()).containsExactly("HTTP_PROXY=http://p:3128");
        assertThat(v.expansionEnv()).doesNotContainKey("HTTP_PROXY");
        assertThat(v.declaredArgs()).isEmpty();
        assertThat(v.unusedBuildArgs()).containsExactly("FOO");
    }

    @Test
    void expander_substitutesOnlyTheListedInstructions() {
        List<Instruction> out = new java.util.ArrayList<>();
        walk(parse("FROM x\nARG P=8080\nARG U=app\nENV D=/data N=n\n"
                + "EXPOSE $P ${P}/udp\nUSER $U:$U\nVOLUME [\"$D\", \"/x y\"]\nLABEL \"$N.k\"=\"v $P\"\nSTOPSIGNAL SIG${N:+TERM}\n"
                + "RUN echo $P\nCMD echo $P\nCOPY --from=$U --chown=$U:$U --chmod=${P:+755} <<EOF $D/\nhi $U\nEOF\n"
                + "COPY <<'EOF' /q\n$U\nEOF\n"
                + "RUN --mount=type=cache,target=$D/cache,uid=${UID:-1000} x\nONBUILD RUN $P\n"), Map.of(), out);
        assertThat(((Expose) out.get(3)).ports()).containsExactly("8080", "8080/udp");
        assertThat(((User) out.get(4)).user()).isEqualTo("app:app");
        assertThat(((Volume) out.get(5)).paths()).containsExactly("/data", "/x y");
        assertThat(((Label) out.get(6)).labels()).containsExactly(new KeyValue("n.k", "v 8080"));
        assertThat(((StopSignal) out.get(7)).signal()).isEqualTo("SIGTERM");
        assertThat(((Run) out.get(8)).command().args()).containsExactly("echo $P");
        assertThat(((Cmd) out.get(9)).command().args()).containsExactly("echo $P");
        Copy copy = (Copy) out.get(10);
        assertThat(copy.from()).isEqualTo("app");
        assertThat(copy.chown()).isEqualTo("app:app");
        assertThat(copy.chmod()).isEqualTo("755");
        assertThat(copy.dest()).isEqualTo("/data/");
        assertThat(copy.heredocs().getFirst().content()).isEqualTo("hi app\n");
        assertThat(((Copy) out.get(11)).heredocs().getFirst().content()).isEqualTo("$U\n");
        RunMount m = ((Run) out.get(12)).mounts().getFirst();
        assertThat(m.target()).isEqualTo("/data/cache");
        assertThat(m.uid()).isEqualTo(1000L);
        assertThat(((OnBuild) out.get(13)).expression()).isEqualTo("RUN $P");
    }

    @Test
    void argDefaultsExpandLeftToRight() {
        Variables v = walk(parse("FROM x\nARG a=1 b=${a}2\nARG c=\"q r\"\n"), Map.of(), new java.util.ArrayList<>());
        assertThat(v.expansionEnv()).containsEntry("b", "12").containsEntry("c", "q r");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> walk(parse("FROM x\nARG a=${b:?needs_b}\n"), Map.of(),
                new java.util.ArrayList<>())).hasMessageStartingWith("Dockerfile:2: ARG: ").hasMessageContaining("b: needs_b");
    }

    @Test
    void referenceExamples_labelEnvAndHeredocScripts() {
        List<Instruction> out = new java.util.ArrayList<>();
        Variables v = walk(parse("""
                FROM alpine
                LABEL "com.example.vendor"="ACME Incorporated"
                LABEL com.example.label-with-value="foo"
                LABEL version="1.0"
                LABEL description="This text illustrates \\
                that label-values can span multiple lines."
                LABEL multi.label1="value1" multi.label2="value2" other="value3"
                ENV MY_NAME="John Doe"
                ENV MY_DOG=Rex\\ The\\ Dog
                ENV MY_CAT=fluffy
                ARG FOO=bar
                COPY <<-EOT /script.sh
                  echo "hello ${FOO}"
                EOT
                COPY <<-"EOT" /script2.sh
                  echo "hello ${FOO}"
                EOT
                """), Map.of(), out);
        assertThat(((Label) out.get(0)).labels()).containsExactly(new KeyValue("com.example.vendor", "ACME Incorporated"));
        assertThat(((Label) out.get(1)).labels()).containsExactly(new KeyValue("com.example.label-with-value", "foo"));
        assertThat(((Label) out.get(3)).labels().getFirst().value())
                .isEqualTo("This text illustrates that label-values can span multiple lines.");
        assertThat(((Label) out.get(4)).labels()).hasSize(3);
        assertThat(v.env()).containsExactly("PATH=/bin", "MY_NAME=John Doe", "MY_DOG=Rex The Dog", "MY_CAT=fluffy");
        assertThat(((Copy) out.get(9)).heredocs().getFirst().content()).isEqualTo("  echo \"hello bar\"\n");
        assertThat(((Copy) out.get(10)).heredocs().getFirst().content()).isEqualTo("  echo \"hello ${FOO}\"\n");
    }
}
