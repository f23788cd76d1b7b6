package dev.skiff.cli.commands.registry;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Query;
import dev.skiff.sys.auth.AuthEntry;
import dev.skiff.sys.auth.DockerConfigFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * docker login: the daemon checks the credentials against the registry (POST /auth); only then are they stored
 * in the docker config (or its credential helper).
 */
@Command(name = "login", customSynopsis = "[OPTIONS] [SERVER]",
        description = {"Authenticate to a registry.", "Defaults to Docker Hub if no server is specified."})
public final class LoginCommand extends ApiCommand {
    @Option(names = {"-u", "--username"}, paramLabel = "string", description = "Username")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "string", description = "Password or Personal Access Token (PAT)")
    String password;

    @Option(names = "--password-stdin", description = "Take the Password or Personal Access Token (PAT) from stdin")
    boolean passwordStdin;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER")
    String server;

    LoginCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        String registry = server == null ? "docker.io" : server.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        String key = DockerConfigFile.serverKey(registry);
        DockerConfigFile config = RegistryAuth.config(ctx);
        BufferedReader in = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8));
        if (passwordStdin) {
            if (password != null) {
                throw CliFailure.of("--password and --password-stdin are mutually exclusive", 1);
            }
            if (username == null) {
                throw CliFailure.of("Must provide --username with --password-stdin", 1);
            }
            String line = in.readLine();
            password = line == null ? "" : line.replaceAll("[\\r\\n]+$", "");
        } else if (password != null) {
            ctx.err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        Optional<AuthEntry> stored = config.get(registry);
        if (username == null && password == null && stored.isPresent()) {
            username = stored.get().username();
            password = stored.get().secret();
        }
        if (username == null) {
            ctx.out().print("Username: ");
            ctx.out().flush();
            username = Optional.ofNullable(in.readLine()).orElse("").strip();
        }
        if (password == null) {
            ctx.out().print("Password: ");
            ctx.out().flush();
            password = Optional.ofNullable(in.readLine()).orElse("");
        }
        if (username.isEmpty()) {
            throw CliFailure.of("Error: Non-null Username Required", 1);
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        body.put("serveraddress", key);
        api.post(Query.path("/auth"), body); // refused credentials end here, as docker's do
        config.store(registry, new AuthEntry(username, password));
        ctx.out().println("Login Succeeded");
        return 0;
    }
}
