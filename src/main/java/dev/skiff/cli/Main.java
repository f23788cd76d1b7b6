package dev.skiff.cli;

import dev.skiff.cli.client.SocketApiClient;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** The skiff CLI's entry point: wires the real streams, terminal and API client, then runs one command. */
public final class Main {
    /** How the CLI reaches the daemon: Hosts resolves -H, SKIFF_HOST, DOCKER_HOST, then the default socket. */
    static final ClientFactory PRODUCTION = SocketApiClient::fromEnvironment;

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        CliContext ctx = new CliContext(PRODUCTION, new FileInputStream(FileDescriptor.in), out, err,
                new SttyTerminal(), Clock.systemUTC(), System.getenv());
        int code = Cli.run(ctx, args);
        out.flush();
        System.exit(code);
    }
}
