package dev.skiff.errors;

/**
 * The root of every error Skiff reports to a person or across the API.
 *
 * <p>Messages name the object, the action and the way out, for example
 * {@code no such image: busybox:latest (pull it, or import one with skiff import)}.
 * The kind decides the HTTP status; {@code api.http.ErrorMapper} is the only place that maps it.
 */
public abstract sealed class SkiffException extends RuntimeException
        permits NotFoundException, ConflictException, InvalidArgumentException,
                UnavailableException, ServiceUnavailableException, ForbiddenException, NotModifiedException,
                InternalException {

    protected SkiffException(String message) {
        super(message);
    }

    protected SkiffException(String message, Throwable cause) {
        super(message, cause);
    }
}
