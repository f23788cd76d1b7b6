package dev.skiff.engine.network.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Round robin for names with several addresses (an alias several containers share): each query for a name
 * starts one address further along. A counter per name, so queries for other names in between do not skew
 * it; the least recently asked names are forgotten past a bound. Not thread-safe (the server's loop owns it).
 */
final class Rotation {
    private static final int MAX_NAMES = 1024;

    private final Map<String, Integer> next = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > MAX_NAMES;
        }
    };

    /** {@code items} rotated by the number of earlier calls for {@code name}. */
    <T> List<T> rotate(String name, List<T> items) {
        int n = items.size();
        if (n < 2) {
            return items;
        }
        int turn = next.merge(name, 1, (a, b) -> (a + b) & Integer.MAX_VALUE) - 1;
        int start = Math.floorMod(turn, n);
        List<T> rotated = new ArrayList<>(n);
        rotated.addAll(items.subList(start, n));
        rotated.addAll(items.subList(0, start));
        return rotated;
    }
}
