package dev.skiff.errors;

/** Thrown when an outside part (runc, conmon, a registry) failed or is unreachable (HTTP 500/503). */
public final class UnavailableException extends SkiffException {
    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
