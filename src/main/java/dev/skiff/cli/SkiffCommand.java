package dev.skiff.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The root command: docker's global flags, which go before the subcommand. */
@Command(name = "skiff", customSynopsis = "[OPTIONS] COMMAND",
        description = "A self-sufficient runtime for containers", versionProvider = Version.class)
final class SkiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CliContext ctx;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print usage")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print version information and quit")
    boolean version;


    SkiffCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Option(names = "--config", paramLabel = "string",
            description = "Location of client config files (default \"${sys:user.home}/.docker\")")
    void config(String dir) {
        ctx.configDir(dir);
    }

    @Option(names = {"-c", "--context"}, paramLabel = "string", description = "Name of the context to use to connect to the "
            + "daemon (overrides DOCKER_HOST env var and default context set with \"docker context use\")")
    void context(String name) {
        ctx.context(name);
    }

    @Option(names = {"-H", "--host"}, paramLabel = "list", description = "Daemon socket to connect to")
    void host(String host) {
        ctx.host(host);
    }

    @Option(names = {"-l", "--log-level"}, paramLabel = "string",
            description = "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\") (default \"info\")")
    void logLevel(String level) {
        if (!java.util.List.of("debug", "info", "warn", "error", "fatal", "trace", "panic").contains(level.toLowerCase(java.util.Locale.ROOT))) {
            throw new BadLogLevel(spec.commandLine(), level);
        }
        if (level.equalsIgnoreCase("debug") || level.equalsIgnoreCase("trace")) {
            ctx.debug(true);
        }
    }

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode")
    void debug(boolean debug) {
        ctx.debug(debug);
    }

    /** docker reports a bad --log-level on its own line and exits 1, without the usage text. */
    static final class BadLogLevel extends picocli.CommandLine.ParameterException {
        BadLogLevel(picocli.CommandLine cmd, String level) {
            super(cmd, "Unable to parse logging level: " + level);
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.out());
        return 0;
    }
}
