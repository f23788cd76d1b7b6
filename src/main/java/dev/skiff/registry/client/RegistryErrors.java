package dev.skiff.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.ForbiddenException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.SkiffException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;

/** Turns a registry's error answer ({"errors":[{"code","message"}]}) into Skiff's errors with Docker's words. */
final class RegistryErrors {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private RegistryErrors() {
    }

    /** "manifest unknown: manifest unknown", from the body's first error, or the status alone. */
    static String detail(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(MAX_ERROR_BODY);
            JsonNode first = Json.MAPPER.readTree(body).path("errors").path(0);
            if (first.isObject()) {
                String code = first.path("code").asText("").toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
                String message = first.path("message").asText("");
                return code.isEmpty() ? message : code + ": " + message;
            }
        } catch (IOException | RuntimeException e) {
            // not the registry's JSON: the status says enough
        }
        return "status " + r.statusCode();
    }

    /**
     * The error for a failed request about {@code what} ("manifest for busybox:latest", "blob sha256:...")
     * in {@code repo}.
     */
    static SkiffException of(HttpResponse<InputStream> r, String what, String repo, String hostPort) {
        String detail = detail(r);
        return switch (r.statusCode()) {
            case 401, 403 -> new ForbiddenException("access to " + repo + " denied by registry " + hostPort
                    + ", repository does not exist or may require 'docker login': " + detail);
            case 404 -> new NotFoundException(what + " not found: " + detail);
            case 400, 405, 413, 415 -> new InvalidArgumentException(what + ": registry " + hostPort + " refused: " + detail);
            default -> new UnavailableException(what + ": registry " + hostPort + " answered " + r.statusCode() + ": "
                    + detail);
        };
    }
}
