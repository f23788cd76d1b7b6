package dev.skiff.cli.commands.registry;

import dev.skiff.cli.CliContext;
import dev.skiff.sys.auth.DockerConfigFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** docker logout: forgets the stored credentials of a registry (no daemon needed). */
@Command(name = "logout", customSynopsis = "[SERVER]",
        description = {"Log out from a registry.", "If no server is specified, the default is defined by the daemon."})
public final class LogoutCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER")
    String server;

    private final CliContext ctx;

    LogoutCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        String registry = server == null ? "docker.io" : server.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        String key = DockerConfigFile.serverKey(registry);
        if (RegistryAuth.config(ctx).erase(registry)) {
            ctx.out().println("Removing login credentials for " + key);
        } else {
            ctx.out().println("Not logged in to " + key);
        }
        return 0;
    }
}
