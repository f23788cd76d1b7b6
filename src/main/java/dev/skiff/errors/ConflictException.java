package dev.skiff.errors;

/** Thrown when the object exists or is in a state that forbids the action (HTTP 409). */
public final class ConflictException extends SkiffException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
