package dev.skiff.errors;

/** Thrown when a bug or an unexpected failure inside Skiff (HTTP 500). */
public final class InternalException extends SkiffException {
    public InternalException(String message) {
        super(message);
    }

    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }
}
