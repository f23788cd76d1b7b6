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
        // picocli looks for Groovy's Closure class at start-up: a miss that opens every jar on the class path
        // (~30 ms), which nothing else in a command needs once its classes come from the AOT cache
        System.setProperty("picocli.disable.closures", "true");
        // the same miss for the NIO selector provider's service lookup at the first socket: name Linux's own
        // (the default it would fall back to), so no jar is searched for another
        System.setProperty("java.nio.channels.spi.SelectorProvider", "sun.nio.ch.EPollSelectorProvider");
        StartupWarmup.start();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        CliContext ctx = new CliContext(PRODUCTION, new FileInputStream(FileDescriptor.in), out, err,
                new SttyTerminal(), Clock.systemUTC(), System.getenv());
        int code = Cli.run(ctx, args);
        out.flush();
        err.flush();
        // halt, not exit: System.exit first asks for a System.Logger ("java.lang.Runtime"), whose service
        // lookup opens every jar on the class path (~20 ms at the end of every command). The CLI registers no
        // shutdown hook it needs (registry serve closes its server before it returns) and its streams are
        // flushed above; files a command wrote are closed by the command.
        Runtime.getRuntime().halt(code);
    }
}
