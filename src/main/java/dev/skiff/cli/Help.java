package dev.skiff.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Renders --help the way docker's cobra templates do: usage, description, aliases, commands, options. */
final class Help implements CommandLine.IHelpSectionRenderer {
    static final String SECTION = "docker";
    /** docker 28's Common Commands, in its order. */
    private static final List<String> COMMON = List.of("run", "exec", "ps", "build", "pull", "push", "images", "login", "logout",
            "search", "version", "info");
    private static final Set<String> MANAGEMENT = Set.of("builder", "container", "image", "network", "registry", "system", "volume");

    /** Every place a command class appears ("skiff ps", "skiff container ls", ...), for the Aliases line. */
    private final Map<Class<?>, List<String>> paths;

    Help(Map<Class<?>, List<String>> paths) {
        this.paths = paths;
    }

    static void install(CommandLine cl, Help help) {
        cl.getHelpSectionMap().put(SECTION, help);
        cl.setHelpSectionKeys(List.of(SECTION));
    }

    @Override
    public String render(CommandLine.Help h) {
        CommandSpec spec = h.commandSpec();
        StringBuilder b = new StringBuilder();
        b.append("Usage:  ").append(UsageErrors.synopsis(spec)).append("\n\n");
        String[] desc = spec.usageMessage().description();
        if (desc.length > 0) {
            b.append(String.join("\n", desc)).append("\n\n");
        }
        List<String> aliases = paths.getOrDefault(spec.userObject() == null ? null : spec.userObject().getClass(), List.of());
        if (aliases.size() > 1) {
            b.append("Aliases:\n  ").append(String.join(", ", aliases)).append("\n\n");
        }
        Map<String, CommandSpec> subs = subcommands(spec);
        if (!subs.isEmpty()) {
            if (spec.parent() == null) {
                commands(b, "Common Commands", subs, n -> COMMON.contains(n), COMMON);
                commands(b, "Management Commands", subs, MANAGEMENT::contains, null);
                commands(b, "Commands", subs, n -> !COMMON.contains(n) && !MANAGEMENT.contains(n), null);
            } else {
                commands(b, "Commands", subs, n -> true, null);
            }
        }
        options(b, spec.parent() == null ? "Global Options" : "Options", spec.options());
        if (!subs.isEmpty()) {
            b.append("Run '").append(spec.qualifiedName()).append(" COMMAND --help' for more information on a command.\n");
        }
        // cobra's template separates its sections with an empty line and ends with the last one
        while (b.length() > 1 && b.charAt(b.length() - 1) == '\n' && b.charAt(b.length() - 2) == '\n') {
            b.setLength(b.length() - 1);
        }
        return b.toString();
    }

    private static Map<String, CommandSpec> subcommands(CommandSpec spec) {
        Map<String, CommandSpec> out = new LinkedHashMap<>();
        Set<CommandLine> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        spec.subcommands().forEach((name, cl) -> {
            if (seen.add(cl)) {
                out.put(cl.getCommandName(), cl.getCommandSpec());
            }
        });
        return out;
    }

    private static void commands(StringBuilder b, String title, Map<String, CommandSpec> subs,
                                 java.util.function.Predicate<String> include, List<String> order) {
        List<String> names = new ArrayList<>(subs.keySet().stream().filter(include).toList());
        if (names.isEmpty()) {
            return;
        }
        names.sort(order == null ? Comparator.naturalOrder() : Comparator.comparingInt(order::indexOf));
        b.append(title).append(":\n");
        for (String n : names) {
            // a listing shows a command's first line, as cobra its Short (no closing period)
            String[] d = subs.get(n).usageMessage().description();
            String first = d.length > 0 ? d[0].replaceAll("\\.$", "") : "";
            b.append("  ").append(String.format("%-11s", n)).append(' ').append(first).append('\n');
        }
        b.append('\n');
    }

    /** pflag's FlagUsages: "  -a, --all" or "      --format string", descriptions aligned 3 past the longest. */
    private static void options(StringBuilder b, String title, List<OptionSpec> options) {
        List<String[]> lines = new ArrayList<>();
        // docker lists --help only where -h means something else (run's and create's --hostname)
        boolean shorthandTaken = options.stream().anyMatch(o -> !o.usageHelp() && java.util.Arrays.asList(o.names()).contains("-h"));
        List<OptionSpec> sorted = new ArrayList<>(options.stream()
                .filter(o -> !o.hidden() && (!o.usageHelp() || shorthandTaken)).toList());
        sorted.sort(Comparator.comparing(Help::longName));
        for (OptionSpec o : sorted) {
            String shortName = null;
            for (String n : o.names()) {
                if (n.length() == 2 && n.startsWith("-") && !n.startsWith("--")) {
                    shortName = n;
                }
            }
            String flag = (shortName != null ? "  " + shortName + ", " : "      ") + longName(o);
            if (o.arity().max() > 0 && !o.paramLabel().startsWith("<") && o.arity().min() > 0) {
                flag += " " + o.paramLabel();
            }
            String[] d = o.description();
            lines.add(new String[] {flag, d.length > 0 ? d[0] : ""});
        }
        if (lines.isEmpty()) {
            return;
        }
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        b.append(title).append(":\n");
        for (String[] l : lines) {
            b.append(l[0]).append(" ".repeat(width - l[0].length() + 3)).append(wrap(width + 3, COLUMNS, l[1])).append('\n');
        }
        b.append('\n');
    }

    /** The docker CLI wraps flag usages to its terminal's width less one; 80 columns when it has none. */
    private static final int COLUMNS = 79;

    /** pflag's wrap: {@code s} in lines of at most {@code w} columns, those after the first indented by {@code i}. */
    static String wrap(int i, int w, String s) {
        StringBuilder r = new StringBuilder();
        int room = w - i;
        if (room < 24) {
            // not enough room beside the flags: the usage goes under them, as a block
            i = 16;
            room = w - i;
            r.append('\n').append(" ".repeat(i));
        }
        String indent = "\n" + " ".repeat(i);
        if (room < 24) {
            return r + s.replace("\n", indent);
        }
        int slop = 5;
        room -= slop;
        String[] first = wrapN(room, slop, s);
        r.append(first[0].replace("\n", indent));
        String rest = first[1];
        while (!rest.isEmpty()) {
            String[] next = wrapN(room, slop, rest);
            r.append(indent).append(next[0].replace("\n", indent));
            rest = next[1];
        }
        return r.toString();
    }

    /** pflag's wrapN: the first up to {@code i} characters of s split at whitespace (up to i + slop for the last line). */
    private static String[] wrapN(int i, int slop, String s) {
        if (i + slop > s.length()) {
            return new String[] {s, ""};
        }
        String head = s.substring(0, i);
        int w = Math.max(Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t')), head.lastIndexOf('\n'));
        if (w <= 0) {
            return new String[] {s, ""};
        }
        int nl = head.lastIndexOf('\n');
        if (nl > 0 && nl < w) {
            return new String[] {s.substring(0, nl), s.substring(nl + 1)};
        }
        return new String[] {s.substring(0, w), s.substring(w + 1)};
    }

    private static String longName(OptionSpec o) {
        for (String n : o.names()) {
            if (n.startsWith("--")) {
                return n;
            }
        }
        return o.longestName();
    }
}
