package dev.skiff.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds {@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"} markers on an instruction line, as BuildKit does:
 * the line is split into words keeping quotes, and each word of the form {@code [n]<<[-]WORD} is a marker.
 * A delimiter with any quoting turns substitution in the body off.
 */
final class HeredocMarkers {
    private static final Pattern MARKER = Pattern.compile("^(\\d*)<<(-?)([^<]*)$");

    private HeredocMarkers() {
    }

    /** The markers on {@code line}, in order, with empty content (the parser fills it in). */
    static List<Heredoc> find(String line) {
        List<String> words;
        try {
            words = ShellLex.raw('\\', true, true, false).processWords(line, Map.of());
        } catch (RuntimeException e) {
            return List.of(); // an unbalanced quote: not a heredoc line; the instruction parser reports it
        }
        List<Heredoc> out = new ArrayList<>();
        for (String w : words) {
            parse(w).ifPresent(out::add);
        }
        return out;
    }

    static Optional<Heredoc> parse(String word) {
        Matcher m = MARKER.matcher(word);
        if (!m.matches() || m.group(3).isEmpty()) {
            return Optional.empty();
        }
        boolean chomp = m.group(2).equals("-");
        String rest = m.group(3);
        List<String> unquoted;
        List<String> raw;
        try {
            unquoted = ShellLex.raw('\\', false, false, true).processWords(rest, Map.of());
            raw = ShellLex.raw('\\', true, false, true).processWords(rest, Map.of());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (unquoted.size() != 1 || raw.size() != 1) {
            return Optional.empty();
        }
        String name = unquoted.getFirst();
        boolean expand = name.equals(raw.getFirst());
        return Optional.of(new Heredoc(name, "", expand, chomp));
    }
}
