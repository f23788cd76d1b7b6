package dev.skiff.cli.commands.registry;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.system.Groups;
import dev.skiff.registry.server.GarbageCollector;
import dev.skiff.registry.server.RegistryConfig;
import dev.skiff.registry.server.RegistryServer;
import dev.skiff.registry.server.RegistryStorage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The registry server's commands. Unlike the rest of the CLI these do not talk to skiffd: the registry is a
 * program of its own that the skiff launcher hosts (DESIGN.md, "Processes").
 */
public final class RegistryCommands {
    private RegistryCommands() {
    }

    @Command(name = "registry", customSynopsis = "COMMAND", description = "Run an OCI distribution registry")
    public static final class Group extends Groups.Group {
    }

    @Command(name = "serve", customSynopsis = "[OPTIONS]", description = "Serve an OCI registry (Docker's registry API v2)")
    public static final class Serve implements Callable<Integer> {
        private final CliContext ctx;

        @Option(names = "--config", paramLabel = "file", description = "YAML or JSON settings (flags override them)")
        Path config;
        @Option(names = "--addr", paramLabel = "host:port", description = "Listen address (default \":5000\")")
        String addr;
        @Option(names = "--root", paramLabel = "dir", description = "Storage directory")
        Path root;
        @Option(names = "--htpasswd", paramLabel = "file", description = "Require basic auth with these bcrypt users (htpasswd -B)")
        Path htpasswd;
        @Option(names = "--token-key", paramLabel = "file", description = "Use bearer tokens signed with this key (created if missing); users log in at /token")
        Path tokenKey;
        @Option(names = "--token-realm", paramLabel = "url", description = "Token endpoint clients are sent to (default: this registry's /token)")
        String tokenRealm;
        @Option(names = "--token-issuer", paramLabel = "name", description = "Issuer of the tokens (default \"skiff-registry\")")
        String tokenIssuer;
        @Option(names = "--token-service", paramLabel = "name", description = "Service name in the tokens (default \"skiff-registry\")")
        String tokenService;
        @Option(names = "--tls-cert", paramLabel = "file", description = "Serve HTTPS with this PEM certificate (chain)")
        Path tlsCert;
        @Option(names = "--tls-key", paramLabel = "file", description = "PEM private key (PKCS#8) of --tls-cert")
        Path tlsKey;
        @Option(names = "--read-only", description = "Refuse pushes and deletes")
        Boolean readOnly;
        @Option(names = "--proxy", paramLabel = "url", description = "Be a pull-through cache of this upstream registry")
        String proxy;
        @Option(names = "--proxy-username", paramLabel = "name", description = "User for the upstream registry")
        String proxyUsername;
        @Option(names = "--proxy-password", paramLabel = "secret", description = "Password for the upstream registry")
        String proxyPassword;
        @Option(names = "--gc-interval", paramLabel = "duration", description = "Collect garbage this often while serving (e.g. 1h)")
        String gcInterval;
        @Option(names = "--gc-grace", paramLabel = "duration", description = "Keep unreferenced blobs younger than this (default 1h)")
        String gcGrace;

        public Serve(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            RegistryConfig flags = new RegistryConfig(addr, root, htpasswd, tokenKey, tokenRealm, tokenIssuer, tokenService,
                    tlsCert, tlsKey, readOnly, proxy, proxyUsername, proxyPassword,
                    RegistryConfig.duration(gcInterval), RegistryConfig.duration(gcGrace));
            RegistryConfig c = (config == null ? RegistryConfig.empty() : RegistryConfig.load(config)).overriddenBy(flags);
            if (c.root() == null) {
                ctx.err().println("skiff registry serve: no storage directory (give --root DIR or root: in --config)");
                return 125;
            }
            RegistryServer server = RegistryServer.start(c);
            Thread hook = new Thread(server::close, "registry-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            var a = server.address();
            ctx.out().println("registry listening on " + (server.tls() ? "https" : "http") + "://" + a.getHostString() + ":" + a.getPort());
            ctx.out().flush();
            server.awaitClose();
            return 0;
        }
    }

    @Command(name = "gc", customSynopsis = "[OPTIONS]", description = "Delete blobs no manifest references")
    public static final class Gc implements Callable<Integer> {
        private final CliContext ctx;

        @Option(names = "--root", paramLabel = "dir", required = true, description = "Storage directory")
        Path root;
        @Option(names = "--grace", paramLabel = "duration", description = "Keep unreferenced blobs younger than this (default 1h)")
        String grace = "1h";
        @Option(names = "--dry-run", description = "Only report what would be deleted")
        boolean dryRun;

        public Gc(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            GarbageCollector.Result r = new GarbageCollector(new RegistryStorage(root), null)
                    .run(RegistryConfig.duration(grace), dryRun);
            ctx.out().printf("%d manifests; %d blobs kept; %d blobs %s (%d bytes); %d dangling links removed%n",
                    r.manifests(), r.blobsKept(), r.blobsDeleted(), dryRun ? "to delete" : "deleted", r.bytesFreed(), r.linksRemoved());
            return 0;
        }
    }
}
