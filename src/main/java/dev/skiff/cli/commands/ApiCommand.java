package dev.skiff.cli.commands;

import dev.skiff.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the daemon. Subclasses implement {@link #run(Api)} and return the exit
 * code; daemon errors propagate and Cli prints them like docker ("Error response from daemon: ...").
 */
public abstract class ApiCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected final CliContext ctx;

    protected ApiCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public final Integer call() throws Exception {
        return run(new Api(ctx.client()));
    }

    protected abstract int run(Api api) throws Exception;

    /** The exit code when the daemon refuses: 1 for most commands, 125 for run and create. */
    public int failureExitCode() {
        return 1;
    }

    /** How a failure reads; run and create add docker's "docker: ... Run 'docker run --help'" wrapping. */
    public String failureMessage(String message) {
        return message;
    }
}
