package dev.skiff.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.build.dockerfile.Instruction.*;
import dev.skiff.errors.InvalidArgumentException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser on the reference's examples and on bad input: every error names file, line and instruction. */
class DockerfileParserTest {
    private static Dockerfile parse(String text) {
        return DockerfileParser.parse("Dockerfile", text);
    }

    private static List<Instruction> body(String text) {
        return parse(text).stages().getLast().instructions();
    }

    private static Instruction only(String line) {
        return body("FROM scratch\n" + line).getFirst();
    }

    @Test
    void parse_simpleDockerfile_givesStagesAndLocations() {
        Dockerfile df = parse("# syntax=docker/dockerfile:1\n\nFROM busybox AS Base\nRUN echo hi\n\nFROM base\nCMD [\"sh\"]\n");
        assertThat(df.directives().syntax()).isEqualTo("docker/dockerfile:1");
        assertThat(df.stages()).hasSize(2);
        Stage first = df.stages().getFirst();
        assertThat(first.name()).isEqualTo("base");
        assertThat(first.base()).isEqualTo("busybox");
        Run run = (Run) first.instructions().getFirst();
        assertThat(run.command()).isEqualTo(Command.shell("echo hi"));
        assertThat(run.location()).isEqualTo(new SourceLocation("Dockerfile", 4, 4));
        assertThat(run.original()).isEqualTo("RUN echo hi");
        Cmd cmd = (Cmd) df.stages().get(1).instructions().getFirst();
        assertThat(cmd.command()).isEqualTo(Command.exec(List.of("sh")));
        assertThat(df.stage("BASE")).contains(first);
        assertThat(df.stage("1")).contains(df.stages().get(1));
    }

    @Test
    void parse_continuationsCommentsAndEmptyLines_joinTheLine() {
        Run run = (Run) body("FROM scratch\nRUN echo hello \\\n# comment\n\nworld\nRUN x").getFirst();
        assertThat(run.command().args()).containsExactly("echo hello world");
        assertThat(run.location()).isEqualTo(new SourceLocation("Dockerfile", 2, 5));
        Run spaces = (Run) only("RUN echo \"\\\n     hello\\\n     world\"");
        assertThat(spaces.command().args()).containsExactly("echo \"     hello     world\"");
    }

    @Test
    void parse_emptyContinuationLines_warnAsTheClassicBuilderDoes() {
        Dockerfile df = DockerfileParser.parse("Dockerfile",
                "FROM scratch\nRUN echo one \\\n\n    two\nRUN a \\\n# only a comment\nb\nLABEL x=1 \\\n   \ny=2\n");
        assertThat(df.warnings()).containsExactly(
                "[WARNING]: Empty continuation line found in:\n    RUN echo one     two",
                "[WARNING]: Empty continuation line found in:\n    LABEL x=1 y=2",
                "[WARNING]: Empty continuation lines will become errors in a future release.");
        assertThat(DockerfileParser.parse("Dockerfile", "FROM scratch\nRUN a \\\n# c\nb\n").warnings()).isEmpty();
    }

    @Test
    void parse_leadingWhitespaceAndHashInArguments_areHandled() {
        List<Instruction> in = body("        # this is a comment-line\n    FROM x\n    RUN echo 'we are running some # of cool things'\n");
        assertThat(((Run) in.getFirst()).command().args()).containsExactly("echo 'we are running some # of cool things'");
    }

    @Test
    void escapeDirective_backtick_continuesLinesAndKeepsBackslashes() {
        Dockerfile df = parse("# escape=`\n\nFROM microsoft/nanoserver\nCOPY testfile.txt c:\\\nRUN dir c:\\\n");
        assertThat(df.directives().escape()).isEqualTo('`');
        List<Instruction> in = df.stages().getFirst().instructions();
        assertThat(((Copy) in.get(0)).dest()).isEqualTo("c:\\");
        assertThat(((Run) in.get(1)).command().args()).containsExactly("dir c:\\");
        Run joined = (Run) parse("# escape=`\nFROM x\nRUN a `\n  b").stages().getFirst().instructions().getFirst();
        assertThat(joined.command().args()).containsExactly("a   b");
    }

    @Test
    void withoutEscapeDirective_backslashAtEndJoinsLines() {
        List<Instruction> in = body("FROM microsoft/nanoserver\nCOPY testfile.txt c:\\\\\nRUN dir c:\\\n");
        assertThat(in).hasSize(1);
        // the reference's example: "COPY testfile.txt c:\RUN dir c:"
        assertThat(((Copy) in.getFirst()).sources()).containsExactly("testfile.txt", "c:\\RUN", "dir");
        assertThat(((Copy) in.getFirst()).dest()).isEqualTo("c:");
    }

    @Test
    void directives_followTheReferenceRules() {
        assertThat(parse("#directive=value\n# syntax = a\nFROM x").directives().syntax()).isNull();
        assertThat(parse("#\t  sYnTaX= v1 \nFROM x").directives().syntax()).isEqualTo("v1");
        assertThat(parse("# About my dockerfile\n# syntax=value\nFROM x").directives().syntax()).isNull();
        assertThat(parse("FROM x\n# escape=`\nRUN a\\\n b").directives().escape()).isEqualTo('\\');
        assertThat(parse("# check=skip=JSONArgsRecommended;error=true\nFROM x").directives().check())
                .isEqualTo("skip=JSONArgsRecommended;error=true");
        Directives checks = parse("# check=skip=JSONArgsRecommended,StageNameCasing;error=true\nFROM x").directives();
        assertThat(checks.checkSkip()).containsExactly("JSONArgsRecommended", "StageNameCasing");
        assertThat(checks.checkError()).isTrue();
        assertThat(parse("FROM x").directives().checkSkip()).isEmpty();
        assertThatThrownBy(() -> parse("# escape=\\\n# escape=`\nFROM x"))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Dockerfile:2: only one escape parser directive can be used");
        assertThatThrownBy(() -> parse("# escape=x\nFROM x")).hasMessageContaining("invalid escape token 'x'");
    }

    @Test
    void jsonArraysOfOtherThanStrings_areErrors_notTheShellForm() {
        for (String line : List.of("CMD [1]", "RUN [\"echo\", 1]", "ENTRYPOINT [\"a\", null]", "VOLUME [\"/a\", 2]",
                "COPY [\"a\", 1]", "HEALTHCHECK CMD [\"true\", false]")) {
            assertThatThrownBy(() -> parse("FROM x\n" + line)).as(line)
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("Dockerfile parse error line 2: when using JSON array syntax, arrays must be comprised of strings only");
        }
        // what is not JSON at all is still the shell form
        assertThat(((Run) only("RUN [ 1 -eq 1 ]")).command().argv(List.of("/bin/sh", "-c")))
                .containsExactly("/bin/sh", "-c", "[ 1 -eq 1 ]");
    }

    @Test
    void moreInstructionsThanABuildTakes_areRefusedWhole() {
        StringBuilder b = new StringBuilder("FROM x\n");
        for (int i = 0; i < DockerfileParser.MAX_INSTRUCTIONS; i++) {
            b.append("LABEL k").append(i).append("=v\n");
        }
        assertThatThrownBy(() -> parse(b.toString())).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("the Dockerfile has " + (DockerfileParser.MAX_INSTRUCTIONS + 1) + " instructions");
        assertThat(parse(b.toString().replaceFirst("LABEL k0=v\n", "")).stages()).hasSize(1);
    }

    @Test
    void heredocs_runCopyAndAdd() {
        Run run = (Run) only("RUN <<EOF\necho hello\necho world\nEOF");
        assertThat(run.heredocs()).containsExactly(new Heredoc("EOF", "echo hello\necho world\n", true, false));
        assertThat(run.command().args()).containsExactly("<<EOF");

        List<Instruction> in = body("FROM x\nRUN <<FILE1 cat > file1 && <<-'FILE2' cat > file2\nI am\nfirst\nFILE1\n\tI am\n\tsecond\n\tFILE2\nRUN next");
        Run two = (Run) in.getFirst();
        assertThat(two.heredocs()).containsExactly(new Heredoc("FILE1", "I am\nfirst\n", true, false),
                new Heredoc("FILE2", "I am\nsecond\n", false, true));
        assertThat(two.location()).isEqualTo(new SourceLocation("Dockerfile", 2, 8));
        assertThat(((Run) in.get(1)).command().args()).containsExactly("next");

        Copy copy = (Copy) only("COPY <<EOF /etc/conf\nhello $NAME\nEOF");
        assertThat(copy.sources()).isEmpty();
        assertThat(copy.heredocs()).containsExactly(new Heredoc("EOF", "hello $NAME\n", true, false));
        assertThat(copy.dest()).isEqualTo("/etc/conf");
        Add add = (Add) only("ADD <<\"a.txt\" real.txt /dest/\ntext\na.txt");
        assertThat(add.sources()).containsExactly("real.txt");
        assertThat(add.heredocs()).containsExactly(new Heredoc("a.txt", "text\n", false, false));

        assertThatThrownBy(() -> parse("FROM x\nRUN <<EOF\necho\n"))
                .hasMessageStartingWith("Dockerfile:2: unterminated heredoc EOF");
        Run exec = (Run) only("RUN [\"echo\", \"<<EOF\"]");
        assertThat(exec.heredocs()).isEmpty();
    }

    @Test
    void runScript_heredocForms() {
        List<String> sh = List.of("/bin/sh", "-c");
        Run simple = (Run) only("RUN <<EOF\necho hi\nEOF");
        assertThat(RunScript.plan(simple, sh).argv()).containsExactly("/bin/sh", "-c", "echo hi\n");
        Run shebang = (Run) only("RUN <<eot\n#!/usr/bin/env python3\nprint(1)\neot");
        RunScript.Plan plan = RunScript.plan(shebang, sh);
        assertThat(plan.argv()).containsExactly("/dev/pipes/eot");
        assertThat(plan.file()).hasValueSatisfying(f -> assertThat(f.content()).isEqualTo("#!/usr/bin/env python3\nprint(1)\n"));
        Run piped = (Run) only("RUN python3 <<EOF\nprint(1)\nEOF");
        assertThat(RunScript.plan(piped, sh).argv()).containsExactly("/bin/sh", "-c", "python3 <<EOF\nprint(1)\nEOF");
        Run exec = (Run) only("RUN [\"a\", \"b\"]");
        assertThat(RunScript.plan(exec, sh).argv()).containsExactly("a", "b");
    }

    @Test
    void runFlags_mountsNetworkSecurity() {
        Run run = (Run) only("RUN --mount=type=cache,target=/cache/pip,sharing=locked,mode=0700,uid=1000 "
                + "--mount=type=secret,id=aws,required --mount=type=bind,source=src,target=/src,rw "
                + "--mount=type=tmpfs,target=/t,size=64m --mount=type=ssh --network=none --security=insecure make");
        assertThat(run.command().args()).containsExactly("make");
        assertThat(run.network()).isEqualTo("none");
        assertThat(run.security()).isEqualTo("insecure");
        RunMount cache = run.mounts().get(0);
        assertThat(cache.type()).isEqualTo(RunMount.Type.CACHE);
        assertThat(cache.id()).isEqualTo("/cache/pip");
        assertThat(cache.sharing()).isEqualTo(RunMount.Sharing.LOCKED);
        assertThat(cache.mode()).isEqualTo(0700);
        assertThat(cache.uid()).isEqualTo(1000L);
        assertThat(cache.readOnly()).isFalse();
        RunMount secret = run.mounts().get(1);
        assertThat(secret.target()).isEqualTo("/run/secrets/aws");
        assertThat(secret.required()).isTrue();
        RunMount bind = run.mounts().get(2);
        assertThat(bind.readOnly()).isFalse();
        assertThat(bind.source()).isEqualTo("src");
        assertThat(run.mounts().get(3).size()).isEqualTo(64L << 20);
        assertThat(run.mounts().get(4).id()).isEqualTo("default");
        assertThat(((Run) only("RUN --mount=target=/ctx ls")).mounts().getFirst().readOnly()).isTrue();

        assertThatThrownBy(() -> only("RUN --mount=type=tmpfs,target=/t,uid=1 x")).hasMessageContaining("unexpected key 'uid'");
        assertThatThrownBy(() -> only("RUN --mount=type=nfs,target=/t x")).hasMessageContaining("unsupported mount type");
        assertThatThrownBy(() -> only("RUN --mount=type=cache x")).hasMessageContaining("target is required");
        assertThatThrownBy(() -> only("RUN --network=bridge x")).hasMessageContaining("unsupported network mode");
    }

    @Test
    void copyAndAddFlags() {
        Copy copy = (Copy) only("COPY --from=build --chown=app:app --chmod=0644 --link --exclude=*.md --exclude=tmp --parents a b /dst/");
        assertThat(copy.sources()).containsExactly("a", "b");
        assertThat(copy.dest()).isEqualTo("/dst/");
        assertThat(copy.from()).isEqualTo("build");
        assertThat(copy.chown()).isEqualTo("app:app");
        assertThat(copy.chmod()).isEqualTo("0644");
        assertThat(copy.link()).isTrue();
        assertThat(copy.parents()).isTrue();
        assertThat(copy.exclude()).containsExactly("*.md", "tmp");
        Copy json = (Copy) only("COPY [\"my file\", \"/dest dir/\"]");
        assertThat(json.sources()).containsExactly("my file");
        assertThat(json.dest()).isEqualTo("/dest dir/");
        Add add = (Add) only("ADD --checksum=sha256:abc --keep-git-dir=true --unpack=false --link=false https://x/a.tgz /d");
        assertThat(add.checksum()).isEqualTo("sha256:abc");
        assertThat(add.keepGitDir()).isTrue();
        assertThat(add.unpack()).isFalse();
        assertThat(add.link()).isFalse();
        assertThat(((Add) only("ADD a /b")).unpack()).isNull();

        assertThatThrownBy(() -> only("COPY --checksum=sha256:x a /b"))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Dockerfile parse error line 2: unknown flag: --checksum for COPY");
        assertThatThrownBy(() -> only("COPY onlyone")).hasMessageStartingWith("Dockerfile parse error line 2: COPY requires at least two arguments");
        assertThatThrownBy(() -> only("COPY --from=a --from=b x y")).hasMessageContaining("duplicate flag");
        assertThatThrownBy(() -> only("ADD --link=maybe a b")).hasMessageContaining("expecting boolean value");
    }

    @Test
    void envLabelArg_formsAndRawValues() {
        Env env = (Env) only("ENV MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog \\\n    MY_CAT=fluffy");
        assertThat(env.vars()).containsExactly(new KeyValue("MY_NAME", "\"John Doe\""),
                new KeyValue("MY_DOG", "Rex\\ The\\ Dog"), new KeyValue("MY_CAT", "fluffy"));
        Env legacy = (Env) only("ENV MY_VAR my-value with spaces");
        assertThat(legacy.vars()).containsExactly(new KeyValue("MY_VAR", "my-value with spaces"));
        Label label = (Label) only("LABEL \"com.example.vendor\"=\"ACME Incorporated\" version=1.0");
        assertThat(label.labels()).containsExactly(new KeyValue("\"com.example.vendor\"", "\"ACME Incorporated\""),
                new KeyValue("version", "1.0"));
        Arg arg = (Arg) only("ARG user1=someuser buildno");
        assertThat(arg.args()).containsExactly(new KeyValue("user1", "someuser"), new KeyValue("buildno", null));
        assertThatThrownBy(() -> only("ENV a=1 b")).hasMessageContaining("can't find = in \"b\"");
        assertThatThrownBy(() -> only("ENV onlyname")).hasMessageContaining("ENV must have two arguments");
    }

    @Test
    void otherInstructions() {
        assertThat(((Expose) only("EXPOSE 80/tcp 80/udp")).ports()).containsExactly("80/tcp", "80/udp");
        assertThat(((Volume) only("VOLUME [\"/data\"]")).paths()).containsExactly("/data");
        assertThat(((Volume) only("VOLUME /a /b")).paths()).containsExactly("/a", "/b");
        assertThat(((User) only("USER patrick:staff")).user()).isEqualTo("patrick:staff");
        assertThat(((Workdir) only("WORKDIR /a/b c")).path()).isEqualTo("/a/b c");
        assertThat(((StopSignal) only("STOPSIGNAL SIGKILL")).signal()).isEqualTo("SIGKILL");
        assertThat(((Shell) only("SHELL [\"powershell\", \"-command\"]")).shell()).containsExactly("powershell", "-command");
        assertThat(((Maintainer) only("MAINTAINER Jane <j@x>")).name()).isEqualTo("Jane <j@x>");
        assertThat(((Entrypoint) only("ENTRYPOINT exec top -b")).command()).isEqualTo(Command.shell("exec top -b"));
        // a bare CMD is the shell alone, as the classic builder records it (["/bin/sh","-c"])
        assertThat(((Cmd) only("CMD")).command().argv(java.util.List.of("/bin/sh", "-c"))).containsExactly("/bin/sh", "-c");
        OnBuild onBuild = (OnBuild) only("ONBUILD ADD . /app/src");
        assertThat(onBuild.expression()).isEqualTo("ADD . /app/src");
        assertThat(onBuild.trigger()).isInstanceOf(Add.class);
        assertThatThrownBy(() -> only("ONBUILD ONBUILD RUN x")).hasMessageContaining("isn't allowed");
        assertThatThrownBy(() -> only("ONBUILD FROM x")).hasMessageContaining("FROM isn't allowed as an ONBUILD trigger");
        assertThatThrownBy(() -> only("SHELL /bin/bash")).hasMessageContaining("SHELL requires the arguments to be in JSON form");
        From from = parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS build").stages().getFirst().from();
        assertThat(from.platform()).isEqualTo("$BUILDPLATFORM");
        assertThat(from.stageName()).isEqualTo("build");
    }

    @Test
    void healthcheck() {
        Healthcheck hc = (Healthcheck) only("HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=500ms --retries=3 \\\n  CMD curl -f http://localhost/ || exit 1");
        assertThat(hc.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(hc.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(hc.startPeriod()).isEqualTo(Duration.ofSeconds(90));
        assertThat(hc.startInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(hc.retries()).isEqualTo(3);
        assertThat(hc.test()).containsExactly("CMD-SHELL", "curl -f http://localhost/ || exit 1");
        assertThat(((Healthcheck) only("HEALTHCHECK CMD [\"true\"]")).test()).containsExactly("CMD", "true");
        assertThat(((Healthcheck) only("HEALTHCHECK NONE")).test()).containsExactly("NONE");
        assertThatThrownBy(() -> only("HEALTHCHECK NONE x")).hasMessageContaining("HEALTHCHECK NONE takes no arguments");
        assertThatThrownBy(() -> only("HEALTHCHECK --interval=1zz CMD x")).hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> only("HEALTHCHECK --retries=-1 CMD x")).hasMessageContaining("cannot be negative");
        assertThatThrownBy(() -> only("HEALTHCHECK RUN x")).hasMessageContaining("Unknown type");
    }

    @Test
    void errors_nameTheLineAndInstruction_syntaxErrorsInDockersWords() {
        assertThatThrownBy(() -> DockerfileParser.parse("Dockerfile.dev", "FROM x\n\nFOO bar\n"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Dockerfile.dev parse error line 3: unknown instruction: FOO");
        assertThatThrownBy(() -> parse("RUN x\nFROM y")).hasMessageStartingWith("Dockerfile:1: RUN: no build stage in current context");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("file with no instructions");
        assertThatThrownBy(() -> parse("# only a comment\n")).hasMessageContaining("file with no instructions");
        assertThatThrownBy(() -> parse("ARG a\n")).hasMessageContaining("no FROM");
        assertThatThrownBy(() -> parse("FROM a AS x\nFROM b AS X")).hasMessageStartingWith("Dockerfile:2: duplicate stage name \"x\"");
        assertThatThrownBy(() -> parse("FROM a AS 1x")).hasMessageContaining("invalid name for build stage");
        assertThatThrownBy(() -> parse("FROM a b")).hasMessage("Dockerfile parse error line 1: FROM requires either one or three arguments");
        assertThatThrownBy(() -> parse("FROM a\nRUN --bogus x")).hasMessage("Dockerfile parse error line 2: unknown flag: --bogus for RUN");
        assertThatThrownBy(() -> parse("FROM a\nRUN")).hasMessage("Dockerfile parse error line 2: RUN requires at least one argument");
        assertThatThrownBy(() -> DockerfileParser.parse("Dockerfile", new byte[DockerfileParser.MAX_SIZE + 1]))
                .hasMessageContaining("larger than 10 MiB");
    }

    @Test
    void globalArgsAndCaseInsensitiveKeywords() {
        Dockerfile df = parse("ARG VERSION=latest\nfrom busybox:$VERSION\narg VERSION\nrun echo $VERSION > image_version");
        assertThat(df.globalArgs()).hasSize(1);
        assertThat(df.stages().getFirst().base()).isEqualTo("busybox:$VERSION");
        assertThat(df.stages().getFirst().instructions()).hasSize(2);
        assertThat(df.stages().getFirst().instructions().getFirst().keyword()).isEqualTo("ARG");
    }

    @Test
    void windowsLineEndingsAndBom() {
        Dockerfile df = parse("\uFEFFFROM x\r\nRUN a \\\r\n b\r\n");
        assertThat(((Run) df.stages().getFirst().instructions().getFirst()).command().args()).containsExactly("a  b");
    }
}
