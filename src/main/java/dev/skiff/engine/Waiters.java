package dev.skiff.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending waits per container. Exit waiters complete on the next exit (of any run, so a waiter registered
 * before start sees the exit of that start); removal waiters when the container is gone. A removed container
 * also releases its exit waiters with its last exit code.
 */
public final class Waiters {
    /** Docker's wait conditions. */
    public enum Condition {
        NOT_RUNNING, NEXT_EXIT, REMOVED;

        public static Condition parse(String text) {
            return switch (text == null ? "" : text) {
                case "", "not-running" -> NOT_RUNNING;
                case "next-exit" -> NEXT_EXIT;
                case "removed" -> REMOVED;
                default -> throw new dev.skiff.errors.InvalidArgumentException("invalid condition: \"" + text
                        + "\" (use not-running, next-exit or removed)");
            };
        }
    }

    private final Map<String, List<CompletableFuture<WaitResult>>> exits = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<WaitResult>>> removals = new ConcurrentHashMap<>();

    /** Registers for the container's next exit; call with the container's lock held so no exit slips between. */
    public CompletableFuture<WaitResult> onNextExit(String id) {
        return add(exits, id);
    }

    public CompletableFuture<WaitResult> onRemoved(String id) {
        return add(removals, id);
    }

    /** The container exited with {@code code}. */
    public void exited(String id, int code) {
        complete(exits.remove(id), new WaitResult(code, null));
    }

    /** The container is gone: every waiter returns. */
    public void removed(String id, int lastExitCode) {
        WaitResult r = new WaitResult(lastExitCode, null);
        complete(exits.remove(id), r);
        complete(removals.remove(id), r);
    }

    /** Waiters still pending, for tests and memory accounting. */
    public int pending() {
        return exits.values().stream().mapToInt(List::size).sum() + removals.values().stream().mapToInt(List::size).sum();
    }

    private static CompletableFuture<WaitResult> add(Map<String, List<CompletableFuture<WaitResult>>> map, String id) {
        CompletableFuture<WaitResult> f = new CompletableFuture<>();
        map.compute(id, (k, list) -> {
            List<CompletableFuture<WaitResult>> l = list == null ? new ArrayList<>(1) : list;
            l.add(f);
            return l;
        });
        // a waiter that gives up (client went away) must not stay in the list
        f.whenComplete((r, t) -> {
            if (t != null) {
                map.computeIfPresent(id, (k, l) -> {
                    l.remove(f);
                    return l.isEmpty() ? null : l;
                });
            }
        });
        return f;
    }

    private static void complete(List<CompletableFuture<WaitResult>> list, WaitResult r) {
        if (list != null) {
            list.forEach(f -> f.complete(r));
        }
    }
}
