package dev.skiff.cli;

import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.format.TemplateException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Builds the command tree for one invocation and turns outcomes into docker's messages and exit codes. */
public final class Cli {
    private Cli() {
    }

    /** Runs one command line and returns the process exit code. */
    public static int run(CliContext ctx, String... args) {
        int help = CommandTree.commandIndex(args);
        if (help >= 0 && args[help].equals("help")) {
            args = helpArgs(ctx, args, help);
            if (args == null) {
                return 1;
            }
        }
        CommandLine cmd = build(ctx, args);
        try {
            return cmd.execute(args);
        } finally {
            ctx.out().flush();
            ctx.err().flush();
            try {
                ctx.close();
            } catch (IOException e) {
                // nothing left to tell the user
            }
        }
    }

    /**
     * docker's {@code help [COMMAND...]}: the same as {@code [COMMAND...] --help}; a topic that names no command is
     * "unknown help topic: X" and exit 1 (null here).
     */
    private static String[] helpArgs(CliContext ctx, String[] args, int at) {
        CommandLine node = build(ctx);
        java.util.List<String> out = new java.util.ArrayList<>(java.util.Arrays.asList(args).subList(0, at));
        for (String word : java.util.Arrays.asList(args).subList(at + 1, args.length)) {
            CommandLine next = node.getSubcommands().get(word);
            if (next == null) {
                ctx.err().println("unknown help topic: " + word);
                ctx.err().flush();
                return null;
            }
            out.add(word);
            node = next;
        }
        out.add("--help");
        return out.toArray(String[]::new);
    }

    static CommandLine build(CliContext ctx) {
        return build(ctx, null);
    }

    /** The tree for {@code args} (only the command they run), or the whole tree when args is null. */
    static CommandLine build(CliContext ctx, String[] args) {
        CommandLine.IFactory factory = new ContextFactory(ctx);
        CommandLine root = new CommandLine(new SkiffCommand(ctx), factory);
        if (args == null) {
            CommandTree.addAll(root, factory);
        } else {
            CommandTree.addFor(root, factory, args);
        }
        root.setOut(new java.io.PrintWriter(ctx.out(), true));
        root.setErr(new java.io.PrintWriter(ctx.err(), true));
        root.setParameterExceptionHandler(new UsageErrors(ctx.err()));
        root.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failure(ctx, ex, commandLine));
        root.setUnmatchedOptionsArePositionalParams(false);
        // pflag takes a flag given twice, the last value winning (lists gather every one)
        root.setOverwrittenOptionsAllowed(true);
        return root;
    }

    private static int failure(CliContext ctx, Exception ex, CommandLine commandLine) {
        Object user = commandLine.getCommand();
        ApiCommand api = user instanceof ApiCommand a ? a : null;
        int code = api == null ? 1 : api.failureExitCode();
        String message;
        PrintStream err = ctx.err();
        switch (ex) {
            case CliFailure f when f.getMessage().isEmpty() -> {
                return f.exitCode();
            }
            case CliFailure f when f.isInvalid() -> {
                err.println("skiff: " + f.getMessage() + "\n\nRun '" + commandLine.getCommandSpec().qualifiedName()
                        + " --help' for more information");
                return f.exitCode();
            }
            case CliFailure f when f.isUsage() -> {
                String path = commandLine.getCommandSpec().qualifiedName();
                err.println(f.getMessage() + "\n\nUsage:  " + UsageErrors.synopsis(commandLine.getCommandSpec())
                        + "\n\nRun '" + path + " --help' for more information");
                return f.exitCode();
            }
            case CliFailure f -> {
                err.println(f.getMessage());
                return f.exitCode();
            }
            case ApiException e -> message = "Error response from daemon: " + e.getMessage();
            case TemplateException e -> message = e.getMessage();
            case IOException e -> message = e.getMessage() == null ? e.toString() : e.getMessage();
            // Skiff's own errors (a bad -H address, ...) read as written, without their class name
            case dev.skiff.errors.SkiffException e when e.getMessage() != null -> message = e.getMessage();
            default -> {
                message = ex.toString();
                if (ctx.debug()) {
                    ex.printStackTrace(err);
                }
            }
        }
        err.println(api == null ? message : api.failureMessage(message));
        return code;
    }

    /** Instantiates commands with the shared context when they take one. */
    private record ContextFactory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(CliContext.class);
                c.setAccessible(true);
                return c.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
