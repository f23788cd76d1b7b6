package dev.skiff.build.dockerfile;

import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Dockerfile text into a {@link Dockerfile}: parser directives at the top, comments, continuation
 * lines ending in the escape character (empty and comment lines inside a continuation are skipped),
 * heredocs on RUN/COPY/ADD, then one {@link Instruction} per logical line, grouped into stages.
 *
 * <p>Errors are {@link InvalidArgumentException}s that start with "FILE:LINE: " and name the instruction,
 * e.g. {@code Dockerfile:3: unknown instruction: FOO}. Input is bounded ({@link #MAX_SIZE},
 * {@link #MAX_LINE}). Stateless and thread-safe.
 */
public final class DockerfileParser {
    /** The largest Dockerfile accepted (BuildKit's frontend refuses far smaller files in practice). */
    public static final int MAX_SIZE = 10 << 20;
    /** The longest logical line (continuations joined) accepted. */
    public static final int MAX_LINE = 1 << 20;
    /**
     * The most instructions a Dockerfile may have. The classic builder makes an image of every step, each with the
     * whole config so far: 90,000 LABEL lines (a 10 MB file) filled the heap and the metadata database with 2,900
     * images of ever larger configs before it failed, and the daemon could not start over that database again.
     * Real Dockerfiles have tens; a generated one a few hundred.
     */
    public static final int MAX_INSTRUCTIONS = 2000;

    private static final Pattern DIRECTIVE = Pattern.compile("^#[ \\t]*([a-zA-Z][a-zA-Z0-9]*)[ \\t]*=[ \\t]*(.+?)[ \\t]*$");
    private static final Set<String> KNOWN_DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("RUN", "COPY", "ADD");

    private DockerfileParser() {
    }

    public static Dockerfile parse(Path file) throws IOException {
        if (Files.size(file) > MAX_SIZE) {
            throw new InvalidArgumentException(file.getFileName() + ": the Dockerfile is larger than 10 MiB");
        }
        return parse(file.getFileName().toString(), Files.readAllBytes(file));
    }

    public static Dockerfile parse(String name, byte[] content) {
        if (content.length > MAX_SIZE) {
            throw new InvalidArgumentException(name + ": the Dockerfile is larger than 10 MiB");
        }
        return parse(name, new String(content, StandardCharsets.UTF_8));
    }

    /** Parses {@code text}; {@code name} is how errors and {@link SourceLocation}s call the file. */
    public static Dockerfile parse(String name, String text) {
        if (text.length() > MAX_SIZE) {
            throw new InvalidArgumentException(name + ": the Dockerfile is larger than 10 MiB");
        }
        String[] lines = text.split("\n", -1);
        if (lines.length > 0 && lines[0].startsWith("\uFEFF")) {
            lines[0] = lines[0].substring(1);
        }
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        int[] index = {0};
        Directives directives = directives(name, lines, index);
        Reader reader = new Reader(name, lines, index[0], directives.escape());
        List<Instruction> instructions = reader.readAll();
        if (instructions.size() > MAX_INSTRUCTIONS) {
            throw new InvalidArgumentException(name + ": the Dockerfile has " + instructions.size()
                    + " instructions, more than the " + MAX_INSTRUCTIONS + " a build takes (each step is an image of its"
                    + " own; merge ENV and LABEL lines into fewer instructions)");
        }
        return Stages.group(name, directives, instructions, reader.warnings());
    }

    /**
     * Parses one instruction on its own, e.g. an ONBUILD trigger taken from a base image's config, which
     * runs as if written at {@code location}.
     */
    public static Instruction parseInstruction(String text, SourceLocation location, char escape) {
        try {
            return new InstructionParser(escape).parse(text, List.of(), location);
        } catch (ParseFailure e) {
            throw new InvalidArgumentException(location.parseError() + ": " + e.getMessage());
        }
    }

    private static Directives directives(String name, String[] lines, int[] index) {
        String syntax = null, check = null;
        char escape = '\\';
        Set<String> seen = new HashSet<>();
        while (index[0] < lines.length) {
            Matcher m = DIRECTIVE.matcher(lines[index[0]]);
            if (!m.matches()) {
                break;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            if (!KNOWN_DIRECTIVES.contains(key)) {
                break; // an unknown directive is a comment, and ends the directives
            }
            if (!seen.add(key)) {
                throw new InvalidArgumentException(name + ":" + (index[0] + 1) + ": only one " + key
                        + " parser directive can be used");
            }
            String value = m.group(2);
            switch (key) {
                case "syntax" -> syntax = value;
                case "check" -> check = value;
                default -> {
                    if (!value.equals("`") && !value.equals("\\")) {
                        throw new InvalidArgumentException(name + ":" + (index[0] + 1) + ": invalid escape token '"
                                + value + "' does not match ` or \\");
                    }
                    escape = value.charAt(0);
                }
            }
            index[0]++;
        }
        return new Directives(syntax, escape, check);
    }

    /** Reads logical lines and heredoc bodies after the directives. */
    private static final class Reader {
        private final String name;
        private final String[] lines;
        private final Pattern continuation;
        private final InstructionParser parser;
        private final List<String> emptyContinuations = new ArrayList<>();
        private int next;

        Reader(String name, String[] lines, int start, char escape) {
            this.name = name;
            this.lines = lines;
            this.next = start;
            this.continuation = Pattern.compile(Pattern.quote(String.valueOf(escape)) + "[ \\t]*$");
            this.parser = new InstructionParser(escape);
        }

        List<Instruction> readAll() {
            List<Instruction> out = new ArrayList<>();
            while (next < lines.length) {
                int startLine = next + 1;
                String first = lines[next++].stripLeading();
                if (first.isEmpty() || first.startsWith("#")) {
                    continue;
                }
                StringBuilder line = new StringBuilder();
                boolean end = appendTrimmed(line, first);
                if (end && line.isEmpty()) {
                    continue;
                }
                boolean emptyLine = false;
                while (!end && next < lines.length) {
                    String raw = lines[next++];
                    String stripped = raw.stripLeading();
                    if (stripped.startsWith("#") || stripped.isEmpty()) {
                        emptyLine |= stripped.isEmpty();
                        continue; // comments and empty lines inside a continuation are dropped
                    }
                    end = appendTrimmed(line, raw);
                    if (line.length() > MAX_LINE) {
                        throw new InvalidArgumentException(name + ":" + startLine + ": the instruction is longer than 1 MiB");
                    }
                }
                String logical = line.toString();
                if (emptyLine) {
                    emptyContinuations.add(logical);
                }
                List<Heredoc> heredocs = heredocs(logical, startLine);
                SourceLocation loc = new SourceLocation(name, startLine, next);
                try {
                    out.add(parser.parse(logical, heredocs, loc));
                } catch (ParseFailure e) {
                    throw new InvalidArgumentException(loc.parseError() + ": " + e.getMessage(), e);
                } catch (InvalidArgumentException e) {
                    throw new InvalidArgumentException(loc + ": " + e.getMessage(), e);
                }
            }
            return out;
        }

        /**
         * The classic builder's warnings (dockerd's parser prints them before the first step): an empty line inside
         * a continuation still continues it, which a later Dockerfile syntax may refuse.
         */
        List<String> warnings() {
            if (emptyContinuations.isEmpty()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            emptyContinuations.forEach(l -> out.add("[WARNING]: Empty continuation line found in:\n    " + l));
            out.add("[WARNING]: Empty continuation lines will become errors in a future release.");
            return out;
        }

        /** Appends {@code raw} without its continuation marker; true when the logical line ends here. */
        private boolean appendTrimmed(StringBuilder line, String raw) {
            Matcher m = continuation.matcher(raw);
            if (m.find()) {
                line.append(raw, 0, m.start());
                return false;
            }
            line.append(raw);
            return true;
        }

        private List<Heredoc> heredocs(String logical, int startLine) {
            InstructionParser.Split split = InstructionParser.Split.of(logical);
            if (!HEREDOC_INSTRUCTIONS.contains(split.keyword().toUpperCase(Locale.ROOT)) || !logical.contains("<<")
                    || split.rest().stripLeading().startsWith("[")) {
                return List.of();
            }
            List<Heredoc> out = new ArrayList<>();
            for (Heredoc marker : HeredocMarkers.find(split.rest())) {
                StringBuilder body = new StringBuilder();
                boolean terminated = false;
                while (next < lines.length) {
                    String raw = lines[next++];
                    String candidate = marker.chomp() ? stripTabs(raw) : raw;
                    if (candidate.equals(marker.name())) {
                        terminated = true;
                        break;
                    }
                    body.append(candidate).append('\n');
                    if (body.length() > MAX_SIZE) {
                        break;
                    }
                }
                if (!terminated) {
                    throw new InvalidArgumentException(name + ":" + startLine + ": unterminated heredoc "
                            + marker.name() + " (end it with a line holding only " + marker.name() + ")");
                }
                out.add(new Heredoc(marker.name(), body.toString(), marker.expand(), marker.chomp()));
            }
            return out;
        }

        private static String stripTabs(String s) {
            int i = 0;
            while (i < s.length() && s.charAt(i) == '\t') {
                i++;
            }
            return s.substring(i);
        }
    }
}
