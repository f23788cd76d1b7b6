package dev.skiff.cli;

import java.io.IOException;
import java.util.Optional;

/** The local terminal as far as the CLI cares: is it one, its size, and raw mode for -t. */
public interface Terminal {
    boolean stdinIsTerminal();

    boolean stdoutIsTerminal();

    /** Rows and columns, when stdin is a terminal. */
    Optional<int[]> size();

    /** Puts the terminal into raw mode without echo; closing restores it. */
    AutoCloseable makeRaw() throws IOException;

    /** A terminal for tests and pipes: never a TTY. */
    static Terminal none() {
        return new Terminal() {
            @Override
            public boolean stdinIsTerminal() {
                return false;
            }

            @Override
            public boolean stdoutIsTerminal() {
                return false;
            }

            @Override
            public Optional<int[]> size() {
                return Optional.empty();
            }

            @Override
            public AutoCloseable makeRaw() {
                return () -> { };
            }
        };
    }
}
