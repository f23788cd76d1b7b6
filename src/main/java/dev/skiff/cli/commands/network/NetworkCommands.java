package dev.skiff.cli.commands.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Each;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Inspector;
import dev.skiff.cli.commands.KeyValues;
import dev.skiff.cli.commands.Names;
import dev.skiff.cli.commands.Prompt;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.Filters;
import dev.skiff.cli.format.Formatter;
import dev.skiff.cli.format.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker network create, ls, inspect, rm, prune, connect and disconnect. */
public final class NetworkCommands {
    static final String DEFAULT_TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
    static final Map<String, String> HEADERS = Map.of("ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER", "Scope", "SCOPE",
            "IPv4", "IPV4", "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT");

    private NetworkCommands() {
    }

    @Command(name = "network", customSynopsis = "COMMAND", description = "Manage networks")
    public static final class Group extends dev.skiff.cli.commands.system.Groups.Group {
    }

    @Command(name = "create", customSynopsis = "[OPTIONS] NETWORK", description = "Create a network")
    public static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NETWORK", arity = "1")
        String name;

        @Option(names = "--attachable", description = "Enable manual container attachment")
        boolean attachable;

        @Option(names = "--aux-address", paramLabel = "map", description = "Auxiliary IPv4 or IPv6 addresses used by Network driver (default map[])")
        List<String> auxAddresses = new ArrayList<>();

        @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Driver to manage the Network (default \"bridge\")")
        String driver = "bridge";

        @Option(names = "--config-from", paramLabel = "string", description = "The network from which to copy the configuration")
        String configFrom;

        @Option(names = "--config-only", description = "Create a configuration only network")
        boolean configOnly;

        @Option(names = "--gateway", paramLabel = "strings", split = ",", description = "IPv4 or IPv6 Gateway for the master subnet")
        List<String> gateways = new ArrayList<>();

        @Option(names = "--ingress", description = "Create swarm routing-mesh network")
        boolean ingress;

        @Option(names = "--internal", description = "Restrict external access to the network")
        boolean internal;

        @Option(names = "--ip-range", paramLabel = "strings", split = ",", description = "Allocate container ip from a sub-range")
        List<String> ipRanges = new ArrayList<>();

        @Option(names = "--ipam-driver", paramLabel = "string", description = "IP Address Management Driver (default \"default\")")
        String ipamDriver = "default";

        @Option(names = "--ipam-opt", paramLabel = "map", description = "Set IPAM driver specific options (default map[])")
        List<String> ipamOpts = new ArrayList<>();

        // sent only when given, as the docker CLI sends EnableIPv4
        @Option(names = "--ipv4", arity = "0..1", fallbackValue = "true",
                description = "Enable or disable IPv4 address assignment (default true)")
        Boolean ipv4;

        @Option(names = "--ipv6", description = "Enable or disable IPv6 address assignment")
        boolean ipv6;

        @Option(names = "--label", paramLabel = "list", description = "Set metadata on a network")
        List<String> labels = new ArrayList<>();

        @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options (default map[])")
        List<String> opts = new ArrayList<>();

        @Option(names = "--scope", paramLabel = "string", description = "Control the network's scope")
        String scope;

        @Option(names = "--subnet", paramLabel = "strings", split = ",", description = "Subnet in CIDR format that represents a network segment")
        List<String> subnets = new ArrayList<>();

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            List<Map<String, Object>> pools = IpamFlags.consolidate(subnets, ipRanges, gateways, auxAddresses);
            Map<String, Object> ipam = new LinkedHashMap<>();
            ipam.put("Driver", ipamDriver);
            ipam.put("Config", pools);
            ipam.put("Options", KeyValues.parse(ipamOpts));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Name", name);
            body.put("Driver", driver);
            if (scope != null) {
                body.put("Scope", scope);
            }
            if (ipv4 != null) {
                body.put("EnableIPv4", ipv4);
            }
            body.put("Internal", internal);
            body.put("Attachable", attachable);
            body.put("Ingress", ingress);
            body.put("ConfigOnly", configOnly);
            if (configFrom != null) {
                body.put("ConfigFrom", Map.of("Network", configFrom));
            }
            body.put("EnableIPv6", ipv6);
            body.put("IPAM", ipam);
            body.put("Options", KeyValues.parse(opts));
            body.put("Labels", KeyValues.parse(labels));
            ctx.out().println(api.post(Query.path("/networks/create"), body).path("Id").asText());
            return 0;
        }
    }

    @Command(name = "ls", customSynopsis = "[OPTIONS]", description = "List networks")
    public static final class Ls extends ApiCommand {
        @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"driver=bridge\")")
        List<String> filters = new ArrayList<>();

        @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
        String format;

        @Option(names = "--no-trunc", description = "Do not truncate the output")
        boolean noTrunc;

        @Option(names = {"-q", "--quiet"}, description = "Only display network IDs")
        boolean quiet;

        Ls(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            List<JsonNode> networks = new ArrayList<>();
            api.get(Query.path("/networks").param("filters", Filters.toJson(filters))).forEach(networks::add);
            networks.sort(java.util.Comparator.comparing(n -> n.path("Name").asText()));
            List<Row> rows = new ArrayList<>();
            for (JsonNode n : networks) {
                String id = n.path("Id").asText();
                rows.add(new Row("network.networkContext")
                        .field("ID", () -> noTrunc ? id : Names.shortId(id))
                        .field("Name", () -> n.path("Name").asText())
                        .field("Driver", () -> n.path("Driver").asText())
                        .field("Scope", () -> n.path("Scope").asText())
                        .field("IPv4", () -> n.path("EnableIPv4").asText("false"))
                        .field("IPv6", () -> n.path("EnableIPv6").asText("false"))
                        .field("Internal", () -> n.path("Internal").asText("false"))
                        .field("Labels", () -> KeyValues.joined(n.path("Labels")))
                        .field("CreatedAt", () -> goTime(n.path("Created").asText("")))
                        .method("Label", a -> n.path("Labels").path(String.valueOf(a.getFirst())).asText("")));
            }
            String f = quiet && (format == null || format.isEmpty() || format.equals("table")) ? "{{.ID}}" : format;
            ctx.out().print(Formatter.render(f, DEFAULT_TABLE, HEADERS, rows));
            return 0;
        }
    }

    /** time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST" in the local zone. */
    static String goTime(String rfc3339) {
        if (rfc3339.isEmpty()) {
            return "";
        }
        java.time.ZonedDateTime t = java.time.OffsetDateTime.parse(rfc3339).atZoneSameInstant(java.time.ZoneId.systemDefault());
        String nanos = t.getNano() == 0 ? "" : ("." + String.format("%09d", t.getNano())).replaceAll("0+$", "");
        return t.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + nanos
                + t.format(java.time.format.DateTimeFormatter.ofPattern(" Z z"));
    }

    @Command(name = "inspect", customSynopsis = "[OPTIONS] NETWORK [NETWORK...]", description = "Display detailed information on one or more networks")
    public static final class Inspect extends ApiCommand {
        @Parameters(paramLabel = "NETWORK", arity = "1..*")
        List<String> names = new ArrayList<>();

        @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.JSON)
        String format;

        Inspect(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            return Inspector.inspect(ctx, names, format, "network", n -> api.get(Query.path("/networks/%s", n)));
        }
    }

    @Command(name = "rm", customSynopsis = "NETWORK [NETWORK...]", description = "Remove one or more networks")
    public static final class Rm extends ApiCommand {
        @Parameters(paramLabel = "NETWORK", arity = "1..*")
        List<String> names = new ArrayList<>();

        @Option(names = {"-f", "--force"}, description = "Do not error if the network does not exist")
        boolean force;

        Rm(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) {
            return Each.run(ctx, names, n -> {
                try {
                    api.delete(Query.path("/networks/%s", n));
                } catch (ApiException e) {
                    if (!(force && e.status() == 404)) {
                        throw e;
                    }
                    return null; // nothing removed, nothing said, as docker network rm -f
                }
                return n;
            });
        }
    }

    @Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove all unused networks")
    public static final class Prune extends ApiCommand {
        @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
        List<String> filters = new ArrayList<>();

        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;

        Prune(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            if (!force && !Prompt.confirm(ctx, "WARNING! This will remove all custom networks not used by at least one container.")) {
                return 0;
            }
            JsonNode report = api.post(Query.path("/networks/prune").param("filters", Filters.toJson(filters)));
            if (!report.path("NetworksDeleted").isEmpty()) {
                StringBuilder b = new StringBuilder("Deleted Networks:\n");
                report.path("NetworksDeleted").forEach(v -> b.append(v.asText()).append('\n'));
                ctx.out().println(b);
            }
            return 0;
        }
    }

    @Command(name = "connect", customSynopsis = "[OPTIONS] NETWORK CONTAINER", description = "Connect a container to a network")
    public static final class Connect extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        @Option(names = "--alias", paramLabel = "strings", split = ",", description = "Add network-scoped alias for the container")
        List<String> aliases = new ArrayList<>();

        @Option(names = "--driver-opt", paramLabel = "strings", split = ",", description = "driver options for the network")
        List<String> driverOpts = new ArrayList<>();

        @Option(names = "--gw-priority", paramLabel = "int",
                description = "Highest gw-priority provides the default gateway. Accepts positive and negative values.")
        Integer gwPriority;

        @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., \"172.30.100.104\")")
        String ip;

        @Option(names = "--ip6", paramLabel = "string", description = "IPv6 address (e.g., \"2001:db8::33\")")
        String ip6;

        @Option(names = "--link", paramLabel = "list", description = "Add link to another container")
        List<String> links = new ArrayList<>();

        @Option(names = "--link-local-ip", paramLabel = "strings", split = ",", description = "Add a link-local address for the container")
        List<String> linkLocalIps = new ArrayList<>();

        Connect(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            Map<String, Object> ipam = new LinkedHashMap<>();
            ipam.put("IPv4Address", ip == null ? "" : ip);
            ipam.put("IPv6Address", ip6 == null ? "" : ip6);
            if (!linkLocalIps.isEmpty()) {
                ipam.put("LinkLocalIPs", linkLocalIps);
            }
            Map<String, Object> endpoint = new LinkedHashMap<>();
            endpoint.put("IPAMConfig", ipam);
            endpoint.put("Links", links.isEmpty() ? null : links);
            endpoint.put("Aliases", aliases.isEmpty() ? null : aliases);
            if (!driverOpts.isEmpty()) {
                endpoint.put("DriverOpts", KeyValues.parse(driverOpts));
            }
            if (gwPriority != null) {
                endpoint.put("GwPriority", gwPriority);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Container", container);
            body.put("EndpointConfig", endpoint);
            api.post(Query.path("/networks/%s/connect", network), body);
            return 0;
        }
    }

    @Command(name = "disconnect", customSynopsis = "[OPTIONS] NETWORK CONTAINER", description = "Disconnect a container from a network")
    public static final class Disconnect extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        @Option(names = {"-f", "--force"}, description = "Force the container to disconnect from a network")
        boolean force;

        Disconnect(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Container", container);
            body.put("Force", force);
            api.post(Query.path("/networks/%s/disconnect", network), body);
            return 0;
        }
    }
}
