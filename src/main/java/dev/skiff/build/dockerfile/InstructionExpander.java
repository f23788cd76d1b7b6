package dev.skiff.build.dockerfile;

import dev.skiff.build.dockerfile.Instruction.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Substitutes variables in an instruction the way the reference's "Environment replacement" list says:
 * ADD, COPY (sources, destination, --from, --chown, --chmod, --checksum, --exclude, heredoc bodies unless
 * the delimiter was quoted), ENV and LABEL (keys and values), EXPOSE, FROM (image and --platform),
 * STOPSIGNAL, USER, VOLUME, WORKDIR, and RUN's --mount values. RUN, CMD, ENTRYPOINT, HEALTHCHECK, SHELL,
 * ONBUILD and MAINTAINER come back unchanged (the shell expands those at run time). ARG is substituted by
 * {@link Variables#declare}. Quotes and escapes are removed from the substituted words.
 *
 * <p>All words of one instruction see the same {@code env} (so {@code ENV a=b c=$a} reads the old a).
 */
public final class InstructionExpander {
    private InstructionExpander() {
    }

    /** {@code instruction} with its words substituted for {@code vars}. */
    public static Instruction expand(Instruction instruction, Variables vars) {
        return expand(instruction, vars.expansionEnv(), vars.escape());
    }

    public static Instruction expand(Instruction instruction, Map<String, String> env, char escape) {
        ShellLex lex = new ShellLex(escape);
        try {
            return switch (instruction) {
                case From f -> new From(word(lex, f.image(), env), word(lex, f.platform(), env), f.stageName(),
                        f.location(), f.original());
                case Run r -> new Run(r.command(), r.heredocs(), mounts(lex, r.mounts(), env), r.network(), r.security(),
                        r.location(), r.original());
                case Env e -> new Env(pairs(lex, e.vars(), env), e.location(), e.original());
                case Label l -> new Label(pairs(lex, l.labels(), env), l.location(), l.original());
                case Expose x -> new Expose(splitWords(lex, x.ports(), env), x.location(), x.original());
                case Add a -> new Add(words(lex, a.sources(), env), word(lex, a.dest(), env), heredocs(lex, a.heredocs(), env),
                        word(lex, a.chown(), env), word(lex, a.chmod(), env), word(lex, a.checksum(), env), a.keepGitDir(),
                        a.link(), words(lex, a.exclude(), env), a.unpack(), a.location(), a.original());
                case Copy c -> new Copy(words(lex, c.sources(), env), word(lex, c.dest(), env), heredocs(lex, c.heredocs(), env),
                        word(lex, c.from(), env), word(lex, c.chown(), env), word(lex, c.chmod(), env), c.link(),
                        words(lex, c.exclude(), env), c.parents(), c.location(), c.original());
                case Volume v -> new Volume(words(lex, v.paths(), env), v.location(), v.original());
                case User u -> new User(word(lex, u.user(), env), u.location(), u.original());
                case Workdir w -> new Workdir(word(lex, w.path(), env), w.location(), w.original());
                case StopSignal s -> new StopSignal(word(lex, s.signal(), env), s.location(), s.original());
                case Cmd c -> c;
                case Entrypoint e -> e;
                case Arg a -> a;
                case OnBuild o -> o;
                case Healthcheck h -> h;
                case Shell s -> s;
                case Maintainer m -> m;
            };
        } catch (ParseFailure e) {
            throw new dev.skiff.errors.InvalidArgumentException(instruction.location() + ": " + e.getMessage());
        } catch (dev.skiff.errors.InvalidArgumentException e) {
            throw new dev.skiff.errors.InvalidArgumentException(instruction.location() + ": " + instruction.keyword()
                    + ": " + e.getMessage(), e);
        }
    }

    private static String word(ShellLex lex, String raw, Map<String, String> env) {
        return raw == null ? null : lex.processWord(raw, env);
    }

    private static List<String> words(ShellLex lex, List<String> raw, Map<String, String> env) {
        return raw.stream().map(w -> lex.processWord(w, env)).toList();
    }

    private static List<String> splitWords(ShellLex lex, List<String> raw, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        raw.forEach(w -> out.addAll(lex.processWords(w, env)));
        return out;
    }

    private static List<KeyValue> pairs(ShellLex lex, List<KeyValue> raw, Map<String, String> env) {
        return raw.stream().map(kv -> new KeyValue(lex.processWord(kv.key(), env), word(lex, kv.value(), env))).toList();
    }

    private static List<RunMount> mounts(ShellLex lex, List<RunMount> raw, Map<String, String> env) {
        return raw.stream().map(m -> MountParser.parse(m.spec(), v -> lex.processWord(v, env))).toList();
    }

    /**
     * Heredoc bodies are substituted unless the delimiter was quoted; quotes in the body stay as written
     * (BuildKit processes the body with quote handling off).
     */
    private static List<Heredoc> heredocs(ShellLex lex, List<Heredoc> raw, Map<String, String> env) {
        return raw.stream().map(h -> h.expand()
                ? new Heredoc(h.name(), ShellLex.heredoc(lex.escape()).processWord(h.content(), env), h.expand(), h.chomp())
                : h).toList();
    }
}
