package dev.skiff.errors;

/** Thrown when the action is refused by policy, e.g. removing a running container without force (HTTP 403). */
public final class ForbiddenException extends SkiffException {
    public ForbiddenException(String message) {
        super(message);
    }

    public ForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }
}
