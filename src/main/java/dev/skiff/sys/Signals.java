package dev.skiff.sys;

import dev.skiff.errors.InvalidArgumentException;
import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers as docker kill and STOPSIGNAL accept them: "SIGKILL", "KILL", "9", "SIGRTMIN+3". */
public final class Signals {
    public static final int SIGKILL = 9, SIGTERM = 15;
    private static final int SIGRTMIN = 34, SIGRTMAX = 64;

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23),
            Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27),
            Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29), Map.entry("PWR", 30),
            Map.entry("SYS", 31), Map.entry("RTMIN", SIGRTMIN), Map.entry("RTMAX", SIGRTMAX));

    private Signals() {
    }

    /** Parses a signal; null or blank gives {@code fallback}. */
    public static int parse(String text, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.chars().allMatch(Character::isDigit)) {
            return checkRange(Integer.parseInt(s), text);
        }
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        Integer n = BY_NAME.get(s);
        if (n != null) {
            return n;
        }
        int plus = s.indexOf('+'), minus = s.indexOf('-');
        try {
            if (s.startsWith("RTMIN+") && plus > 0) {
                return checkRange(SIGRTMIN + Integer.parseInt(s.substring(plus + 1)), text);
            }
            if (s.startsWith("RTMAX-") && minus > 0) {
                return checkRange(SIGRTMAX - Integer.parseInt(s.substring(minus + 1)), text);
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new InvalidArgumentException("Invalid signal: " + text + " (use a name like SIGTERM or KILL, or a number 1-64)");
    }

    private static int checkRange(int n, String text) {
        if (n < 1 || n > SIGRTMAX) {
            throw new InvalidArgumentException("Invalid signal: " + text + " (use a name like SIGTERM or KILL, or a number 1-64)");
        }
        return n;
    }
}
