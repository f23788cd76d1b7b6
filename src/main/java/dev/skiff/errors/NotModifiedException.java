package dev.skiff.errors;

/** Thrown when the action had nothing to do, e.g. starting a running container (HTTP 304). */
public final class NotModifiedException extends SkiffException {
    public NotModifiedException(String message) {
        super(message);
    }

    public NotModifiedException(String message, Throwable cause) {
        super(message, cause);
    }
}
