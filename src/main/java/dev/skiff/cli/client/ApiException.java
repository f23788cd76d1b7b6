package dev.skiff.cli.client;

import java.io.IOException;

/** The server answered with an error status; the message is the server's own. */
public final class ApiException extends IOException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
