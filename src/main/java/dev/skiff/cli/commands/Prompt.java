package dev.skiff.cli.commands;

import dev.skiff.cli.CliContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** docker's "Are you sure you want to continue? [y/N]" confirmation for prune commands. */
public final class Prompt {
    private Prompt() {
    }

    public static boolean confirm(CliContext ctx, String warning) throws IOException {
        ctx.out().print(warning + "\nAre you sure you want to continue? [y/N] ");
        ctx.out().flush();
        String line = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
        return line != null && (line.strip().equalsIgnoreCase("y") || line.strip().equalsIgnoreCase("yes"));
    }

    /** Refuses to write binary data to a terminal, as docker save and export do. */
    public static void refuseTerminal(CliContext ctx) {
        if (ctx.terminal().stdoutIsTerminal()) {
            throw CliFailure.of("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
        }
    }
}
