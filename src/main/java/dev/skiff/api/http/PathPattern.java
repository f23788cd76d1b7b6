package dev.skiff.api.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled route pattern: "{id}" matches one segment, "{name...}" one or more (slashes allowed).
 * Matching runs on the raw path; variables are percent-decoded afterwards, keeping '+' as '+'.
 */
record PathPattern(Pattern regex, List<String> names) {
    static PathPattern compile(String pattern) {
        List<String> names = new ArrayList<>();
        StringBuilder re = new StringBuilder("^");
        Matcher m = Pattern.compile("\\{([a-zA-Z]+)(\\.\\.\\.)?}").matcher(pattern);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(pattern.substring(last, m.start())));
            names.add(m.group(1));
            re.append(m.group(2) != null ? "(.+?)" : "([^/]+)");
            last = m.end();
        }
        re.append(Pattern.quote(pattern.substring(last))).append("/?$");
        return new PathPattern(Pattern.compile(re.toString()), List.copyOf(names));
    }

    Optional<Map<String, String>> match(String path) {
        Matcher m = regex.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            vars.put(names.get(i), PercentDecoding.decodePath(m.group(i + 1)));
        }
        return Optional.of(vars);
    }
}
