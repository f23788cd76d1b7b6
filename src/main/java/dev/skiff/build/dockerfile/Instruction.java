package dev.skiff.build.dockerfile;

import java.time.Duration;
import java.util.List;

/**
 * One Dockerfile instruction as written: one record per instruction of the reference.
 *
 * <p>Contract for every record:
 * <ul>
 * <li>Values are RAW: variables are not substituted yet (ENV and ARG values change while a stage builds);
 *     {@link InstructionExpander#expand} returns the same record with the words the reference's
 *     "Environment replacement" list names substituted, for the scope at that point of the build.</li>
 * <li>{@link #location()} gives file and lines; {@link #original()} is the instruction's text as written
 *     on its logical line (continuations joined, comments removed, heredoc bodies not included), with the
 *     keyword as written, e.g. {@code RUN --mount=type=cache,target=/c make}: the source of the history
 *     entry's {@code created_by}.</li>
 * <li>Flag values that were not given are null (strings) or empty (lists); booleans default to false.</li>
 * <li>Lists are immutable.</li>
 * </ul>
 * Records may gain components over time (never lose or rename them): construct them through the parser.
 */
public sealed interface Instruction {
    SourceLocation location();

    String original();

    /** The instruction keyword in upper case ("RUN"). */
    default String keyword() {
        return getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    /** {@code FROM [--platform=p] image [AS name]}; {@code stageName} lower-cased, null when absent. */
    record From(String image, String platform, String stageName, SourceLocation location, String original)
            implements Instruction {
    }

    /**
     * {@code RUN}: {@code network} is default|none|host or null; {@code security} is insecure|sandbox or
     * null. With heredocs the command is shell form and contains the {@code <<EOF} markers; see
     * {@link RunScript} for how the executor turns it into argv and files.
     */
    record Run(Command command, List<Heredoc> heredocs, List<RunMount> mounts, String network, String security,
               SourceLocation location, String original) implements Instruction {
        public Run {
            heredocs = List.copyOf(heredocs);
            mounts = List.copyOf(mounts);
        }
    }

    record Cmd(Command command, SourceLocation location, String original) implements Instruction {
    }

    record Entrypoint(Command command, SourceLocation location, String original) implements Instruction {
    }

    /** {@code LABEL k=v ...}; keys and values raw (quotes kept). */
    record Label(List<KeyValue> labels, SourceLocation location, String original) implements Instruction {
        public Label {
            labels = List.copyOf(labels);
        }
    }

    /** {@code EXPOSE 80/tcp 53/udp}: raw words. */
    record Expose(List<String> ports, SourceLocation location, String original) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }
    }

    /** {@code ENV k=v ...} (or the legacy {@code ENV k v}); raw. */
    record Env(List<KeyValue> vars, SourceLocation location, String original) implements Instruction {
        public Env {
            vars = List.copyOf(vars);
        }
    }

    /**
     * {@code ADD}: sources are raw words (paths, globs, http(s) URLs or git refs); {@code heredocs} are inline
     * files whose names appear among the sources as {@code <<NAME}. {@code unpack} null = default (unpack
     * local archives, not URLs).
     */
    record Add(List<String> sources, String dest, List<Heredoc> heredocs, String chown, String chmod,
               String checksum, boolean keepGitDir, boolean link, List<String> exclude, Boolean unpack,
               SourceLocation location, String original) implements Instruction {
        public Add {
            sources = List.copyOf(sources);
            heredocs = List.copyOf(heredocs);
            exclude = List.copyOf(exclude);
        }
    }

    /** {@code COPY}: like {@link Add}; {@code from} is a stage name, stage index or image reference, or null. */
    record Copy(List<String> sources, String dest, List<Heredoc> heredocs, String from, String chown,
                String chmod, boolean link, List<String> exclude, boolean parents, SourceLocation location,
                String original) implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
            heredocs = List.copyOf(heredocs);
            exclude = List.copyOf(exclude);
        }
    }

    /** {@code VOLUME /a /b} or {@code VOLUME ["/a"]}: raw paths. */
    record Volume(List<String> paths, SourceLocation location, String original) implements Instruction {
        public Volume {
            paths = List.copyOf(paths);
        }
    }

    record User(String user, SourceLocation location, String original) implements Instruction {
    }

    record Workdir(String path, SourceLocation location, String original) implements Instruction {
    }

    /**
     * {@code ARG name[=default] ...}: one record per line, each pair a {@link KeyValue} whose value is null
     * when no default was given. Before the first FROM these are the global args
     * ({@link Dockerfile#globalArgs()}).
     */
    record Arg(List<KeyValue> args, SourceLocation location, String original) implements Instruction {
        public Arg {
            args = List.copyOf(args);
        }
    }

    /**
     * {@code ONBUILD <instruction>}: {@code expression} is the inner instruction's text (what goes in the
     * image config's OnBuild list); {@code trigger} is it parsed (never ONBUILD, FROM or MAINTAINER).
     */
    record OnBuild(String expression, Instruction trigger, SourceLocation location, String original)
            implements Instruction {
    }

    record StopSignal(String signal, SourceLocation location, String original) implements Instruction {
    }

    /**
     * {@code HEALTHCHECK NONE} ({@code none} true, {@code command} null) or
     * {@code HEALTHCHECK [opts] CMD ...}. Durations and retries null when not given (Docker's zero: inherit).
     */
    record Healthcheck(boolean none, Command command, Duration interval, Duration timeout, Duration startPeriod,
                       Duration startInterval, Integer retries, SourceLocation location, String original)
            implements Instruction {
        /** The image config's Healthcheck.Test: ["NONE"], ["CMD", args...] or ["CMD-SHELL", text]. */
        public List<String> test() {
            if (none) {
                return List.of("NONE");
            }
            return java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(command.shellForm() ? "CMD-SHELL" : "CMD"),
                    command.args().stream()).toList();
        }
    }

    /** {@code SHELL ["exe", "arg"]} (JSON form only). */
    record Shell(List<String> shell, SourceLocation location, String original) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }
    }

    record Maintainer(String name, SourceLocation location, String original) implements Instruction {
    }
}
