package dev.skiff.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The CLI's AOT training run (bin/aot-train records target/skiff-cli.aot from it): the command lines on stdin, one
 * per line, words split on blanks, run one after another in this one JVM against the daemon the environment names,
 * their output dropped. A cache recorded from a single `skiff version` (what bin/skiff records on its own, without a
 * daemon to run containers on) leaves every other command to load, verify and link its classes from the jar and to
 * spin its lambdas at each run: measured here, ~30 ms of a `skiff run --rm`. A command that fails does not end the
 * run; the exit status is the number of commands that failed.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        int failed = 0;
        BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            CliContext ctx = new CliContext(Main.PRODUCTION, InputStream.nullInputStream(), quiet, quiet,
                    new SttyTerminal(), Clock.systemUTC(), System.getenv());
            if (Cli.run(ctx, trimmed.split("\\s+")) != 0) {
                System.err.println("aot-train: skiff " + trimmed + " failed");
                failed++;
            }
        }
        System.exit(Math.min(failed, 125));
    }
}
