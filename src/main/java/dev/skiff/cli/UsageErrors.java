package dev.skiff.cli;

import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** Prints flag and argument errors the way docker's cobra setup does, with its exit codes. */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    private final PrintStream err;

    UsageErrors(PrintStream err) {
        this.err = err;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        if (ex instanceof SkiffCommand.BadLogLevel) {
            err.println(ex.getMessage());
            return 1;
        }
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        String path = spec.qualifiedName();
        String usage = "Usage:  " + synopsis(spec);
        if (!spec.subcommands().isEmpty() && ex instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
            String unknown = "skiff: unknown command: " + path + " " + u.getUnmatched().getFirst() + "\n\n";
            err.println(unknown + (spec.parent() == null ? "" : "Usage:  " + path + "\n\n")
                    + "Run '" + path + " --help' for more information");
            return 1;
        }
        String[] argProblem = argumentProblem(ex, spec);
        if (argProblem != null) {
            err.println("skiff: '" + path + "' " + argProblem[0] + "\n\n" + usage + "\n\n" + argProblem[1] + " '" + path
                    + " --help' for more information");
            return 1;
        }
        err.println(flagProblem(ex) + "\n\n" + usage + "\n\nRun '" + path + " --help' for more information");
        return 125;
    }

    static String synopsis(CommandSpec spec) {
        String[] custom = spec.usageMessage().customSynopsis();
        return custom.length > 0 ? custom[0] : spec.qualifiedName();
    }

    /**
     * docker's cli/required.go wording, with its "Run"/"See" follow-up, or null for flag errors:
     * "requires 1 argument", "requires at least 1 argument", "requires at most 1 argument",
     * "requires at least 1 and at most 2 arguments", "accepts no arguments".
     */
    private static String[] argumentProblem(ParameterException ex, CommandSpec spec) {
        boolean positional = ex instanceof CommandLine.MissingParameterException m
                && m.getMissing().stream().allMatch(a -> a instanceof PositionalParamSpec);
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            positional = !unmatched.isEmpty() && !unmatched.getFirst().startsWith("-");
        }
        if (!positional) {
            return null;
        }
        int min = 0;
        int max = 0;
        for (PositionalParamSpec p : spec.positionalParameters()) {
            min += p.arity().min();
            max = p.arity().isVariable() || max == Integer.MAX_VALUE ? Integer.MAX_VALUE : max + p.arity().max();
        }
        if (max == 0) {
            return new String[] {"accepts no arguments", "Run"};
        }
        if (max == Integer.MAX_VALUE) {
            return new String[] {"requires at least " + count(min), "See"};
        }
        if (min == max) {
            return new String[] {"requires " + count(min), "Run"};
        }
        if (min == 0) {
            return new String[] {"requires at most " + count(max), "Run"};
        }
        return new String[] {"requires at least " + min + " and at most " + count(max), "Run"};
    }

    private static String count(int n) {
        return n + " argument" + (n == 1 ? "" : "s");
    }

    private static String flagProblem(ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String flag = u.getUnmatched().getFirst();
            if (flag.startsWith("--")) {
                return "unknown flag: " + flag.split("=", 2)[0];
            }
            return "unknown shorthand flag: '" + flag.charAt(1) + "' in " + flag;
        }
        if (ex instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
                String name = m.getMissing().getFirst() instanceof picocli.CommandLine.Model.OptionSpec o ? o.longestName()
                    : m.getMissing().getFirst().paramLabel();
            return "flag needs an argument: " + name;
        }
        if (ex.getArgSpec() instanceof picocli.CommandLine.Model.OptionSpec o && ex.getValue() != null) {
            String names = String.join(", ", java.util.Arrays.stream(o.names())
                    .sorted(java.util.Comparator.comparingInt(String::length)).toList());
            String reason = o.type() == int.class || o.type() == Integer.class || o.type() == long.class || o.type() == Long.class
                    ? "strconv.ParseInt: parsing \"" + ex.getValue() + "\": invalid syntax" : ex.getMessage();
            return "invalid argument \"" + ex.getValue() + "\" for \"" + names + "\" flag: " + reason;
        }
        String msg = ex.getMessage();
        return msg == null ? "invalid arguments" : msg;
    }
}
