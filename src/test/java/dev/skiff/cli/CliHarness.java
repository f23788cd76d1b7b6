package dev.skiff.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Runs the CLI in-process against a {@link FakeApiClient}, capturing output. */
final class CliHarness {
    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    record Result(int exit, String out, String err) {
    }

    private CliHarness() {
    }

    static Result run(FakeApiClient api, String... args) {
        return runWithStdin(api, "", args);
    }

    static Result runWithStdin(FakeApiClient api, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(host -> api, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Terminal.none(), Clock.fixed(NOW, ZoneOffset.UTC), Map.of("HOME", "/root", "FROM_HOST", "yes"));
        int exit = Cli.run(ctx, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
