package dev.skiff.registry.server;

import java.util.Map;
import java.util.Set;

/**
 * What a request may do: everything (no auth configured, or a user who passed basic auth), or the
 * per-repository actions a bearer token grants ("pull", "push", "delete").
 */
public record Access(String subject, boolean all, Map<String, Set<String>> repositories) {
    public static final Access ANYONE = new Access("", true, Map.of());

    public static Access user(String name) {
        return new Access(name, true, Map.of());
    }

    public boolean allows(String repository, String action) {
        if (all) {
            return true;
        }
        Set<String> actions = repositories.get(repository);
        return actions != null && (actions.contains(action) || actions.contains("*"));
    }
}
