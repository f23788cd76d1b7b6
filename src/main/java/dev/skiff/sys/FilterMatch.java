package dev.skiff.sys;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Docker's {@code filters.Args.Match}, which the name filters of containers, networks and volumes use: the value
 * equals the text, or is a regular expression found in it (unanchored: {@code web} matches {@code my-web-1};
 * {@code ^none$} only {@code none}). A value that is no valid expression matches only itself.
 */
public final class FilterMatch {
    private FilterMatch() {
    }

    public static boolean matches(String value, String text) {
        if (value.equals(text)) {
            return true;
        }
        try {
            return Pattern.compile(value).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}
