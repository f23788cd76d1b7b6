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
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        String path = spec.qualifiedName();
        String usage = "Usage:  " + synopsis(spec);
        String argProblem = argumentProblem(ex, spec);
        if (argProblem != null) {
            err.println("skiff: '" + path + "' " + argProblem + "\n\n" + usage + "\n\nSee '" + path + " --help' for more information");
            return 1;
        }
        err.println(flagProblem(ex) + "\n\n" + usage + "\n\nRun '" + path + " --help' for more information");
        return 125;
    }

    static String synopsis(CommandSpec spec) {
        String[] custom = spec.usageMessage().customSynopsis();
        return custom.length > 0 ? custom[0] : spec.qualifiedName();
    }

    /** docker: "requires exactly 1 argument" / "requires at least 1 argument", or null for flag errors. */
    private static String argumentProblem(ParameterException ex, CommandSpec spec) {
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
            return "accepts no arguments";
        }
        String count = min + " argument" + (min == 1 ? "" : "s");
        return (min == max ? "requires exactly " : "requires at least ") + count;
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
            if (System.getenv("SKIFF_CLI_TRACE") != null) { ex.printStackTrace(); }
            return "flag needs an argument: " + m.getMissing().getFirst().paramLabel();
        }
        String msg = ex.getMessage();
        if (System.getenv("SKIFF_CLI_TRACE") != null) { ex.printStackTrace(); }
        return msg == null ? "invalid arguments" : msg;
    }
}
