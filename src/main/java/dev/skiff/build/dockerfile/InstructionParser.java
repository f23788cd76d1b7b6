package dev.skiff.build.dockerfile;

import dev.skiff.build.dockerfile.Instruction.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one logical line (continuations joined, heredoc bodies already read) into its {@link Instruction},
 * checking flags and argument counts the way BuildKit's instruction parser does. Failures are
 * {@link ParseFailure}s that {@link DockerfileParser} turns into located errors.
 */
final class InstructionParser {
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Set<String> NONE = Set.of();

    private final char escape;

    InstructionParser(char escape) {
        this.escape = escape;
    }

    /** The keyword and what follows it, split at the first whitespace. */
    record Split(String keyword, String rest) {
        static Split of(String line) {
            String s = line.stripLeading();
            int i = 0;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return new Split(s.substring(0, i), s.substring(i).stripLeading());
        }
    }

    Instruction parse(String line, List<Heredoc> heredocs, SourceLocation loc) {
        Split split = Split.of(line);
        String original = line.strip();
        String rest = split.rest();
        return switch (split.keyword().toUpperCase(Locale.ROOT)) {
            case "FROM" -> from(rest, loc, original);
            case "RUN" -> run(rest, heredocs, loc, original);
            case "CMD" -> new Cmd(command(noFlags(rest, "CMD"), "CMD", false), loc, original);
            case "ENTRYPOINT" -> new Entrypoint(command(noFlags(rest, "ENTRYPOINT"), "ENTRYPOINT", false), loc, original);
            case "LABEL" -> new Label(nameValues(noFlags(rest, "LABEL"), "LABEL"), loc, original);
            case "EXPOSE" -> new Expose(atLeastOne(Words.whitespace(noFlags(rest, "EXPOSE")), "EXPOSE"), loc, original);
            case "ENV" -> new Env(nameValues(noFlags(rest, "ENV"), "ENV"), loc, original);
            case "ADD" -> add(rest, heredocs, loc, original);
            case "COPY" -> copy(rest, heredocs, loc, original);
            case "VOLUME" -> new Volume(volumes(noFlags(rest, "VOLUME")), loc, original);
            case "USER" -> new User(single(noFlags(rest, "USER"), "USER"), loc, original);
            case "WORKDIR" -> new Workdir(single(noFlags(rest, "WORKDIR"), "WORKDIR"), loc, original);
            case "ARG" -> new Arg(args(noFlags(rest, "ARG")), loc, original);
            case "ONBUILD" -> onBuild(rest, loc, original);
            case "STOPSIGNAL" -> new StopSignal(single(noFlags(rest, "STOPSIGNAL"), "STOPSIGNAL"), loc, original);
            case "HEALTHCHECK" -> HealthcheckParser.parse(rest, loc, original, this);
            case "SHELL" -> new Shell(shell(noFlags(rest, "SHELL")), loc, original);
            case "MAINTAINER" -> new Maintainer(required(noFlags(rest, "MAINTAINER"), "MAINTAINER"), loc, original);
            default -> throw new ParseFailure("unknown instruction: " + split.keyword());
        };
    }

    private From from(String rest, SourceLocation loc, String original) {
        Flags flags = Flags.parse(rest, "FROM", Set.of("platform"), NONE, NONE);
        List<String> args = Words.whitespace(flags.rest());
        String name = null;
        if (args.size() == 3 && args.get(1).equalsIgnoreCase("AS")) {
            name = args.get(2).toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(name).matches()) {
                throw new ParseFailure("invalid name for build stage: \"" + args.get(2)
                        + "\", name can't start with a number or contain symbols");
            }
        } else if (args.size() != 1) {
            throw new ParseFailure("FROM requires either one or three arguments");
        }
        return new From(args.getFirst(), flags.string("platform"), name, loc, original);
    }

    private Run run(String rest, List<Heredoc> heredocs, SourceLocation loc, String original) {
        Flags flags = Flags.parse(rest, "RUN", Set.of("mount", "network", "security"), Set.of("mount"), NONE);
        List<RunMount> mounts = new ArrayList<>();
        for (String spec : flags.strings("mount")) {
            mounts.add(MountParser.parse(spec, s -> s));
        }
        String network = flags.string("network");
        if (network != null && !Set.of("default", "none", "host").contains(network)) {
            throw new ParseFailure("unsupported network mode \"" + network + "\" (default, none or host)");
        }
        String security = flags.string("security");
        if (security != null && !Set.of("insecure", "sandbox").contains(security)) {
            throw new ParseFailure("unsupported security mode \"" + security + "\" (insecure or sandbox)");
        }
        Command command = command(flags.rest(), "RUN", true);
        return new Run(command, command.shellForm() ? heredocs : List.of(), mounts, network, security, loc, original);
    }

    private Add add(String rest, List<Heredoc> heredocs, SourceLocation loc, String original) {
        Flags flags = Flags.parse(rest, "ADD",
                Set.of("chown", "chmod", "checksum", "keep-git-dir", "link", "exclude", "unpack"),
                Set.of("exclude"), Set.of("keep-git-dir", "link", "unpack"));
        Paths p = paths(flags.rest(), heredocs, "ADD");
        return new Add(p.sources(), p.dest(), p.heredocs(), flags.string("chown"), flags.string("chmod"),
                flags.string("checksum"), flags.bool("keep-git-dir"), flags.bool("link"), flags.strings("exclude"),
                flags.optionalBool("unpack"), loc, original);
    }

    private Copy copy(String rest, List<Heredoc> heredocs, SourceLocation loc, String original) {
        Flags flags = Flags.parse(rest, "COPY",
                Set.of("from", "chown", "chmod", "link", "exclude", "parents"),
                Set.of("exclude"), Set.of("link", "parents"));
        Paths p = paths(flags.rest(), heredocs, "COPY");
        return new Copy(p.sources(), p.dest(), p.heredocs(), flags.string("from"), flags.string("chown"),
                flags.string("chmod"), flags.bool("link"), flags.strings("exclude"), flags.bool("parents"), loc, original);
    }

    private record Paths(List<String> sources, String dest, List<Heredoc> heredocs) {
    }

    /** Sources and destination; words that are heredoc markers become inline files instead of sources. */
    private Paths paths(String rest, List<Heredoc> heredocs, String instruction) {
        Optional<List<String>> json = Words.jsonArray(rest);
        List<String> words = json.orElseGet(() -> Words.whitespace(rest));
        if (words.size() < 2) {
            throw new ParseFailure(instruction + " requires at least two arguments, but only " + words.size()
                    + " was provided. Destination could not be determined");
        }
        List<String> sources = new ArrayList<>();
        List<Heredoc> inline = new ArrayList<>();
        for (String word : words.subList(0, words.size() - 1)) {
            Optional<Heredoc> marker = json.isEmpty() ? HeredocMarkers.parse(word) : Optional.empty();
            Optional<Heredoc> body = marker.flatMap(m -> heredocs.stream().filter(h -> h.name().equals(m.name())).findFirst());
            if (body.isPresent()) {
                inline.add(body.get());
            } else {
                sources.add(word);
            }
        }
        return new Paths(sources, words.getLast(), inline);
    }

    /** Exec form when the rest is a JSON array of strings, shell form otherwise. */
    Command command(String rest, String instruction, boolean required) {
        Optional<List<String>> json = Words.jsonArray(rest);
        if (json.isPresent()) {
            if (required && json.get().isEmpty()) {
                throw new ParseFailure(instruction + " requires at least one argument");
            }
            return Command.exec(json.get());
        }
        if (required && rest.isBlank()) {
            throw new ParseFailure(instruction + " requires at least one argument");
        }
        return Command.shell(rest.strip());
    }

    private String noFlags(String rest, String instruction) {
        return Flags.parse(rest, instruction, NONE, NONE, NONE).rest();
    }

    private List<KeyValue> nameValues(String rest, String instruction) {
        List<String> words = Words.split(rest, escape);
        if (words.isEmpty()) {
            throw new ParseFailure(instruction + " requires at least one argument");
        }
        if (!words.getFirst().contains("=")) {
            // the legacy "ENV name value" form: everything after the name is the value
            String s = rest.strip();
            int i = 0;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i == s.length()) {
                throw new ParseFailure(instruction + " must have two arguments");
            }
            return List.of(new KeyValue(s.substring(0, i), s.substring(i).strip()));
        }
        List<KeyValue> out = new ArrayList<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw new ParseFailure("Syntax error - can't find = in \"" + word + "\". Must be of the form: name=value");
            }
            if (eq == 0) {
                throw new ParseFailure(instruction + " names can not be blank");
            }
            out.add(new KeyValue(word.substring(0, eq), word.substring(eq + 1)));
        }
        return out;
    }

    private List<KeyValue> args(String rest) {
        List<String> words = Words.split(rest, escape);
        if (words.isEmpty()) {
            throw new ParseFailure("ARG requires at least one argument");
        }
        List<KeyValue> out = new ArrayList<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            if (name.isEmpty()) {
                throw new ParseFailure("ARG names can not be blank");
            }
            out.add(new KeyValue(name, eq < 0 ? null : word.substring(eq + 1)));
        }
        return out;
    }

    private List<String> volumes(String rest) {
        List<String> paths = Words.jsonArray(rest).orElseGet(() -> Words.whitespace(rest));
        atLeastOne(paths, "VOLUME");
        for (String p : paths) {
            if (p.isBlank()) {
                throw new ParseFailure("VOLUME specified can not be an empty string");
            }
        }
        return paths;
    }

    private List<String> shell(String rest) {
        List<String> shell = Words.jsonArray(rest)
                .orElseThrow(() -> new ParseFailure("SHELL requires the arguments to be in JSON form"));
        if (shell.isEmpty()) {
            throw new ParseFailure("SHELL requires at least one argument");
        }
        return shell;
    }

    private OnBuild onBuild(String rest, SourceLocation loc, String original) {
        String expression = rest.strip();
        if (expression.isEmpty()) {
            throw new ParseFailure("ONBUILD requires at least one argument");
        }
        String inner = Split.of(expression).keyword().toUpperCase(Locale.ROOT);
        switch (inner) {
            case "ONBUILD" -> throw new ParseFailure("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "FROM", "MAINTAINER" -> throw new ParseFailure(inner + " isn't allowed as an ONBUILD trigger");
            default -> {
            }
        }
        return new OnBuild(expression, parse(expression, List.of(), loc), loc, original);
    }

    private static String single(String rest, String instruction) {
        String s = rest.strip();
        if (s.isEmpty()) {
            throw new ParseFailure(instruction + " requires exactly one argument");
        }
        return s;
    }

    private static String required(String rest, String instruction) {
        if (rest.isBlank()) {
            throw new ParseFailure(instruction + " requires exactly one argument");
        }
        return rest.strip();
    }

    private static List<String> atLeastOne(List<String> words, String instruction) {
        if (words.isEmpty()) {
            throw new ParseFailure(instruction + " requires at least one argument");
        }
        return words;
    }
}
