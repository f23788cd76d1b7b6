package dev.skiff.errors;

/** Thrown when the request itself is wrong: a bad flag, JSON, reference or archive (HTTP 400). */
public final class InvalidArgumentException extends SkiffException {
    public InvalidArgumentException(String message) {
        super(message);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
