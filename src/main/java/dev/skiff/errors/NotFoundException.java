package dev.skiff.errors;

/** Thrown when the object asked for does not exist (HTTP 404). */
public final class NotFoundException extends SkiffException {
    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
