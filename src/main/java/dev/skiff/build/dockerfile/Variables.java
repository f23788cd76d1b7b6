package dev.skiff.build.dockerfile;

import dev.skiff.build.dockerfile.Instruction.Arg;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables in scope at one point of a build, with Docker's ARG rules:
 * <ul>
 * <li>The global scope holds the ARGs declared before the first FROM plus the automatic platform ARGs
 *     (BUILDPLATFORM, TARGETARCH, ...); only FROM lines see it.</li>
 * <li>A stage starts with the base image's ENV and no ARGs. {@code ARG NAME} brings in the --build-arg
 *     value, else the global value, else leaves it declared but unset; {@code ARG NAME=default} takes the
 *     --build-arg value over the default.</li>
 * <li>ENV always wins over an ARG of the same name.</li>
 * <li>The predefined proxy ARGs (HTTP_PROXY, ...) need no declaration: given as --build-args they reach
 *     RUN's environment, but Docker leaves them out of history and the cache key.</li>
 * </ul>
 * One instance per stage (from {@link #stage}); not thread-safe. The record of which --build-args were
 * used is shared between the global scope and its stages, for Docker's "were not consumed" warning.
 */
public final class Variables {
    /** The ARGs Docker defines without a declaration. */
    public static final Set<String> PREDEFINED = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final Map<String, String> buildArgs;
    private final Map<String, String> globals;
    private final Set<String> consumed;
    private final char escape;
    private final Map<String, String> args = new LinkedHashMap<>();
    private final Set<String> declared = new LinkedHashSet<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    private Variables(Map<String, String> buildArgs, Map<String, String> globals, Set<String> consumed, char escape) {
        this.buildArgs = buildArgs;
        this.globals = globals;
        this.consumed = consumed;
        this.escape = escape;
    }

    /** Evaluates the global ARGs of {@code dockerfile} in order against {@code buildArgs}. */
    public static Variables global(Dockerfile dockerfile, Map<String, String> buildArgs, PlatformArgs platform) {
        Map<String, String> given = Map.copyOf(buildArgs);
        Variables scope = new Variables(given, Map.of(), Collections.synchronizedSet(new LinkedHashSet<>()),
                dockerfile.directives().escape());
        scope.args.putAll(platform.values());
        for (Arg arg : dockerfile.globalArgs()) {
            scope.declare(arg);
        }
        return scope;
    }

    /** A fresh scope for a stage whose base image has {@code imageEnv} ("K=V" strings). */
    public Variables stage(List<String> imageEnv) {
        Variables stage = new Variables(buildArgs, Collections.unmodifiableMap(new LinkedHashMap<>(args)), consumed, escape);
        for (String kv : imageEnv) {
            int eq = kv.indexOf('=');
            stage.env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        }
        return stage;
    }

    /** Declares each name of {@code arg} (raw; defaults are substituted here, left to right). */
    public void declare(Arg arg) {
        try {
            declareAll(arg);
        } catch (dev.skiff.errors.InvalidArgumentException e) {
            throw new dev.skiff.errors.InvalidArgumentException(arg.location() + ": ARG: " + e.getMessage(), e);
        }
    }

    private void declareAll(Arg arg) {
        ShellLex lex = new ShellLex(escape);
        for (KeyValue kv : arg.args()) {
            String name = lex.processWord(kv.key(), expansionEnv());
            declared.add(name);
            String value;
            if (buildArgs.containsKey(name)) {
                consumed.add(name);
                value = buildArgs.get(name);
            } else if (kv.value() != null) {
                value = lex.processWord(kv.value(), expansionEnv());
            } else {
                value = globals.get(name);
            }
            if (value == null) {
                args.remove(name);
            } else {
                args.put(name, value);
            }
        }
    }

    /** Sets an ENV variable (already substituted). */
    public void setEnv(String name, String value) {
        env.put(name, value);
    }

    /** What ${...} sees: the set ARGs overlaid by ENV. */
    public Map<String, String> expansionEnv() {
        Map<String, String> out = new LinkedHashMap<>(args);
        out.putAll(env);
        return out;
    }

    /** The ENV variables in order (the image config's Env). */
    public List<String> env() {
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * The "K=V" pairs a RUN gets on top of the image's Env: the declared ARGs with a value that no ENV
     * overrides, then any predefined proxy ARG given as --build-arg.
     */
    public List<String> runEnv() {
        List<String> out = new ArrayList<>();
        args.forEach((k, v) -> {
            if (!env.containsKey(k) && declared.contains(k)) {
                out.add(k + "=" + v);
            }
        });
        for (String p : PREDEFINED) {
            if (buildArgs.containsKey(p) && !declared.contains(p) && !env.containsKey(p)) {
                consumed.add(p);
                out.add(p + "=" + buildArgs.get(p));
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * The ARGs this stage declared, with their values (null when unset), in declaration order: what the
     * cache key must include; predefined proxy ARGs are left out, as Docker does.
     */
    public Map<String, String> declaredArgs() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : declared) {
            if (!PREDEFINED.contains(name)) {
                out.put(name, args.get(name));
            }
        }
        return out;
    }

    /** --build-args nothing declared so far (Docker warns "One or more build-args [..] were not consumed"). */
    public Set<String> unusedBuildArgs() {
        Set<String> out = new LinkedHashSet<>(new java.util.TreeSet<>(buildArgs.keySet()));
        out.removeAll(consumed);
        out.removeAll(PREDEFINED);
        return out;
    }

    public char escape() {
        return escape;
    }
}
