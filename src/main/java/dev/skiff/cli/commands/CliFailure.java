package dev.skiff.cli.commands;

/** A command failed with a message for the user and docker's exit code for that failure. */
public final class CliFailure extends RuntimeException {
    private final int exitCode;
    private final boolean usage;
    private final boolean invalid;

    private CliFailure(String message, int exitCode, boolean usage) {
        this(message, exitCode, usage, false);
    }

    private CliFailure(String message, int exitCode, boolean usage, boolean invalid) {
        super(message);
        this.exitCode = exitCode;
        this.usage = usage;
        this.invalid = invalid;
    }

    /** A plain failure: the message is printed as is. */
    public static CliFailure of(String message, int exitCode) {
        return new CliFailure(message, exitCode, false);
    }

    /** A bad flag value: printed with the usage line and "Run 'skiff X --help'", exit code 125 like docker. */
    public static CliFailure usage(String message) {
        return new CliFailure(message, 125, true);
    }

    /**
     * Flags that parsed but that the command refuses (docker run's -p 99999:80, --restart with --rm): "skiff: MESSAGE"
     * and "Run 'skiff X --help'", without the usage line, exit code 125 like docker.
     */
    public static CliFailure invalid(String message) {
        return new CliFailure(message, 125, false, true);
    }

    /** Ends the command with an exit code and nothing printed (a container's own exit status). */
    public static CliFailure exit(int exitCode) {
        return new CliFailure("", exitCode, false);
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean isUsage() {
        return usage;
    }

    public boolean isInvalid() {
        return invalid;
    }
}
