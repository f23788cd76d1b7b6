package dev.skiff.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * docker inspect's shape: everything found is printed, then an error line for each miss, exit 1. A lookup of one kind
 * (`container inspect`, `inspect --type image`, ...) reports the daemon's own words, as the docker CLI passes them on
 * ("Error response from daemon: No such image: x:latest"); {@code docker inspect} across every kind says "Error: No
 * such object: x".
 */
public final class Inspector {
    /** Looks one name up; returns null, or throws the daemon's 404, when it does not exist. */
    @FunctionalInterface
    public interface Lookup {
        JsonNode find(String name) throws IOException;
    }

    private Inspector() {
    }

    public static int inspect(CliContext ctx, List<String> names, String format, String kind, Lookup lookup) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String n : names) {
            JsonNode o;
            try {
                o = lookup.find(n);
            } catch (ApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
                errors.add("Error response from daemon: " + e.getMessage());
                continue;
            }
            if (o == null) {
                errors.add("Error: No such " + kind + ": " + n);
            } else {
                found.add(o);
            }
        }
        if (!found.isEmpty() || format == null || format.isEmpty()) {
            Output.inspect(ctx.out(), found, format, kind);
        }
        ctx.out().flush();
        errors.forEach(ctx.err()::println);
        return errors.isEmpty() ? 0 : 1;
    }

    /** A GET that answers null on 404. */
    public static JsonNode getOrNull(Api api, Query q) throws IOException {
        try {
            return api.get(q);
        } catch (ApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }
}
