package dev.skiff.cli.io;

import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * --sig-proxy: while attached without a TTY, SIGINT and SIGTERM sent to skiff are forwarded to the
 * container (the daemon's kill endpoint) instead of ending the CLI, as docker does.
 */
public final class SignalProxy implements AutoCloseable {
    private final List<Signal> signals = List.of(new Signal("INT"), new Signal("TERM"));
    private final List<SignalHandler> previous;

    private SignalProxy(Consumer<String> forward) {
        this.previous = signals.stream()
                .map(s -> Signal.handle(s, sig -> forward.accept("SIG" + sig.getName())))
                .toList();
    }

    /** Starts forwarding; forward receives "SIGINT"/"SIGTERM". Closing restores the old handlers. */
    public static SignalProxy start(Consumer<String> forward) {
        return new SignalProxy(forward);
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
