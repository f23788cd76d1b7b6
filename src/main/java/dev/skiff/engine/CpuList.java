package dev.skiff.engine;

import java.util.BitSet;

/** The kernel's list format for CPUs and memory nodes ("0-3,7"), parsed as Docker's parsers.ParseUintList does. */
final class CpuList {
    /** Larger indexes than any machine has: bounds the bit set a hostile value could ask for. */
    private static final int MAX = 8192;

    private CpuList() {
    }

    /** @throws IllegalArgumentException "invalid format: VALUE" as Docker words it */
    static BitSet parse(String value) {
        BitSet out = new BitSet();
        String v = value.trim();
        if (v.isEmpty()) {
            return out;
        }
        for (String part : v.split(",", -1)) {
            int dash = part.indexOf('-');
            int from = number(dash < 0 ? part : part.substring(0, dash), value);
            int to = dash < 0 ? from : number(part.substring(dash + 1), value);
            if (to < from) {
                throw new IllegalArgumentException("invalid format: " + value);
            }
            out.set(from, to + 1);
        }
        return out;
    }

    private static int number(String s, String whole) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("invalid format: " + whole);
        }
        int n = Integer.parseInt(s);
        if (n > MAX) {
            throw new IllegalArgumentException("invalid format: " + whole);
        }
        return n;
    }
}
