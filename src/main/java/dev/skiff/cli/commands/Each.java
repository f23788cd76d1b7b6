package dev.skiff.cli.commands;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * docker's pattern for commands on several objects (stop a b c): act on each, print the name the
 * user gave on success, report every failure at the end and exit 1 if any failed.
 */
public final class Each {
    @FunctionalInterface
    public interface Action {
        /** Returns what to print on success, or null to print nothing. */
        String apply(String target) throws IOException;
    }

    private Each() {
    }

    public static int run(CliContext ctx, List<String> targets, Action action) {
        return run(ctx, targets, action, e -> false);
    }

    /**
     * As {@link #run(CliContext, List, Action)}; an error {@code harmless} accepts is printed at once and does not
     * fail the command (docker rm -f of a container that is not there).
     */
    public static int run(CliContext ctx, List<String> targets, Action action,
                          java.util.function.Predicate<ApiException> harmless) {
        List<String> errors = new ArrayList<>();
        for (String t : targets) {
            try {
                String line = action.apply(t);
                if (line != null) {
                    ctx.out().println(line);
                }
            } catch (ApiException e) {
                if (harmless.test(e)) {
                    ctx.out().flush();
                    ctx.err().println("Error response from daemon: " + e.getMessage());
                    continue;
                }
                errors.add("Error response from daemon: " + e.getMessage());
            } catch (IOException e) {
                errors.add(e.getMessage());
            }
        }
        ctx.out().flush();
        for (String e : errors) {
            ctx.err().println(e);
        }
        return errors.isEmpty() ? 0 : 1;
    }
}
