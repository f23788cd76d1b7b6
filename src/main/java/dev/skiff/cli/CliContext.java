package dev.skiff.cli;

import dev.skiff.cli.client.ApiClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What every command shares: the streams, the terminal, the clock and the one API client, opened
 * lazily with the global -H so commands that fail on flags never connect.
 */
public final class CliContext implements Closeable {
    private final ClientFactory factory;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Terminal terminal;
    private final Clock clock;
    private Map<String, String> env;
    private String host;
    private String context;
    private boolean debug;
    private ApiClient client;

    public CliContext(ClientFactory factory, InputStream in, PrintStream out, PrintStream err,
                      Terminal terminal, Clock clock, Map<String, String> env) {
        this.factory = factory;
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
        this.env = env;
    }

    public ApiClient client() throws IOException {
        if (client == null) {
            client = factory.open(Contexts.host(host, context, env));
        }
        return client;
    }

    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Terminal terminal() {
        return terminal;
    }

    public Clock clock() {
        return clock;
    }

    public Map<String, String> env() {
        return env;
    }

    void host(String host) {
        this.host = host;
    }

    void context(String name) {
        this.context = name;
    }

    /** --config DIR: where the client's config.json is, as DOCKER_CONFIG says it (the flag wins). */
    void configDir(String dir) {
        Map<String, String> withConfig = new java.util.HashMap<>(env);
        withConfig.put("DOCKER_CONFIG", dir);
        this.env = Map.copyOf(withConfig);
    }

    public boolean debug() {
        return debug;
    }

    void debug(boolean debug) {
        this.debug = debug;
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
    }
}
