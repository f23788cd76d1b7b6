package dev.skiff.daemon;

import dev.skiff.errors.SkiffException;
import picocli.CommandLine;

/** skiffd's entry point: parse dockerd-style flags, start, and serve until SIGTERM or SIGINT (SIGHUP reloads). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        DaemonOptions options = new DaemonOptions();
        CommandLine cmd = new CommandLine(options);
        try {
            CommandLine.ParseResult parsed = cmd.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return;
            }
        } catch (CommandLine.ParameterException e) {
            System.err.println("skiffd: " + e.getMessage());
            System.err.println("See 'skiffd --help'.");
            System.exit(125);
        }
        try {
            options.resolve();
            // sys/LogSetup reads this when the first logger is made, so it must be set before anything logs.
            System.setProperty("skiff.log.level", options.logLevel().toUpperCase(java.util.Locale.ROOT));
            Skiffd daemon = Skiffd.start(options);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(daemon::shutdown));
            ConfigReload.install(options);
            daemon.awaitShutdown();
        } catch (SkiffException e) {
            System.err.println("skiffd: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).startsWith("metadata database ")) {
                System.err.println("skiffd: " + e.getMessage()); // says what is wrong and what to do: no trace
            } else {
                System.err.println("skiffd: failed to start: " + e);
                e.printStackTrace();
            }
            System.exit(1);
        }
    }
}
