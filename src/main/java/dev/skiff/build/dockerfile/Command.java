package dev.skiff.build.dockerfile;

import java.util.List;

/**
 * The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD.
 *
 * <p>Exec form ({@code ["a","b"]}): {@code args} are the JSON strings, {@code shellForm} is false, and the
 * builder passes them as they are (no variable substitution, no shell). Shell form: {@code args} holds one
 * element, the command text exactly as written after the instruction and its flags (continuations joined,
 * comments removed), and {@code shellForm} is true: the executor prepends the stage's SHELL
 * (default {@code ["/bin/sh","-c"]}), like moby's {@code ShellDependantCmdLine.PrependShell}.
 */
public record Command(List<String> args, boolean shellForm) {
    public Command {
        args = List.copyOf(args);
    }

    /** Shell form; an empty text (a bare {@code CMD}) is the shell alone, as the classic builder makes it. */
    public static Command shell(String text) {
        return new Command(text.isEmpty() ? List.of() : List.of(text), true);
    }

    public static Command exec(List<String> args) {
        return new Command(args, false);
    }

    /** The argv to run: the shell prepended for shell form, the args alone for exec form. */
    public List<String> argv(List<String> shell) {
        if (!shellForm) {
            return args;
        }
        return java.util.stream.Stream.concat(shell.stream(), args.stream()).toList();
    }
}
