package dev.skiff.api.http;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.ForbiddenException;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.NotModifiedException;
import dev.skiff.errors.ServiceUnavailableException;
import dev.skiff.errors.SkiffException;
import dev.skiff.errors.UnavailableException;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns an exception into an HTTP status and Docker's {"message": ...} body. */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    public static int status(Throwable t) {
        if (t instanceof SkiffException s) {
            return switch (s) {
                case NotFoundException e -> 404;
                case ConflictException e -> 409;
                case InvalidArgumentException e -> 400;
                case ForbiddenException e -> 403;
                case NotModifiedException e -> 304;
                case UnavailableException e -> 500;
                case ServiceUnavailableException e -> 503;
                case InternalException e -> 500;
            };
        }
        return 500;
    }

    /** Answers {@code response} (not yet committed) for the failure {@code t}. */
    public static void write(HttpResponse response, Throwable t) throws IOException {
        int status = status(t);
        if (status == 500) {
            LOG.warn("request failed", t);
        }
        if (status == 304) {
            response.empty(304);
            return;
        }
        response.json(status, Map.of("message", message(t)));
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return withWayOut(m == null || m.isBlank() ? t.toString() : m);
    }

    /**
     * The message, with the way out added where the system's own words have none: a full filesystem (a pull, a
     * commit or a build that ran out of space says ENOSPC and stops there).
     */
    public static String withWayOut(String message) {
        if (message != null && message.contains("No space left on device") && !message.contains("prune")) {
            return message + " (the filesystem is full: free space on it, e.g. with docker system prune, or move the"
                    + " data root to a bigger one)";
        }
        return message;
    }
}
