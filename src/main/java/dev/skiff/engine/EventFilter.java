package dev.skiff.engine;

import java.util.List;
import java.util.Map;

/**
 * Docker's events filters: type, event (action), container, image, label ("k" or "k=v"), plus volume/network
 * names, which match the actor ID or its "name" attribute. Values of one key are OR'd, keys are AND'd.
 */
public record EventFilter(Map<String, List<String>> filters) {
    public static final EventFilter ALL = new EventFilter(Map.of());

    public boolean matches(Event e) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            if (values.isEmpty()) {
                continue;
            }
            boolean ok = switch (f.getKey()) {
                case "type" -> values.contains(e.type());
                case "event" -> values.stream().anyMatch(v -> v.equals(e.action()) || e.action().startsWith(v + ":"));
                case "container" -> e.type().equals("container") && matchesActor(e, values);
                case "image" -> (e.type().equals("image") && matchesActor(e, values))
                        || (e.type().equals("container") && values.contains(attr(e, "image")));
                case "volume" -> e.type().equals("volume") && matchesActor(e, values);
                case "network" -> e.type().equals("network") && matchesActor(e, values);
                case "label" -> values.stream().allMatch(v -> matchesLabel(e, v));
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesActor(Event e, List<String> values) {
        String id = e.actor().id();
        String name = attr(e, "name");
        return values.stream().anyMatch(v -> v.equals(name) || (!v.isEmpty() && id.startsWith(v)));
    }

    private static boolean matchesLabel(Event e, String filter) {
        int eq = filter.indexOf('=');
        String key = eq < 0 ? filter : filter.substring(0, eq);
        String have = e.actor().attributes().get(key);
        return have != null && (eq < 0 || have.equals(filter.substring(eq + 1)));
    }

    private static String attr(Event e, String key) {
        String v = e.actor().attributes().get(key);
        return v == null ? "" : v;
    }
}
