package dev.skiff.cli.commands.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Each;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Inspector;
import dev.skiff.cli.commands.KeyValues;
import dev.skiff.cli.commands.Prompt;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.Filters;
import dev.skiff.cli.format.Formatter;
import dev.skiff.cli.format.Row;
import dev.skiff.cli.format.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker volume create, ls, inspect, rm and prune. */
public final class VolumeCommands {
    static final String DEFAULT_TABLE = "table {{.Driver}}\t{{.Name}}";
    static final Map<String, String> HEADERS = Map.of("Name", "VOLUME NAME", "Driver", "DRIVER", "Scope", "SCOPE",
            "Mountpoint", "MOUNTPOINT", "Labels", "LABELS", "Links", "LINKS", "Size", "SIZE");

    private VolumeCommands() {
    }

    @Command(name = "volume", customSynopsis = "COMMAND", description = "Manage volumes")
    public static final class Group extends dev.skiff.cli.commands.system.Groups.Group {
    }

    @Command(name = "create", customSynopsis = "[OPTIONS] [VOLUME]", description = "Create a volume")
    public static final class Create extends ApiCommand {
        @Parameters(paramLabel = "VOLUME", arity = "0..1")
        String name;

        @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Specify volume driver name (default \"local\")")
        String driver = "local";

        @Option(names = "--label", paramLabel = "list", description = "Set metadata for a volume")
        List<String> labels = new ArrayList<>();

        @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options (default map[])")
        List<String> opts = new ArrayList<>();

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Name", name == null ? "" : name);
            body.put("Driver", driver);
            body.put("DriverOpts", KeyValues.parse(opts));
            body.put("Labels", KeyValues.parse(labels));
            ctx.out().println(api.post(Query.path("/volumes/create"), body).path("Name").asText());
            return 0;
        }
    }

    @Command(name = "ls", customSynopsis = "[OPTIONS]", description = "List volumes")
    public static final class Ls extends ApiCommand {
        @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"dangling=true\")")
        List<String> filters = new ArrayList<>();

        @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
        String format;

        @Option(names = {"-q", "--quiet"}, description = "Only display volume names")
        boolean quiet;

        Ls(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            JsonNode list = api.get(Query.path("/volumes").param("filters", Filters.toJson(filters)));
            List<JsonNode> volumes = new ArrayList<>();
            list.path("Volumes").forEach(volumes::add);
            volumes.sort(java.util.Comparator.comparing(v -> v.path("Name").asText()));
            List<Row> rows = new ArrayList<>();
            for (JsonNode v : volumes) {
                rows.add(row(v));
            }
            for (JsonNode w : list.path("Warnings")) {
                ctx.err().println(w.asText());
            }
            String f = quiet && (format == null || format.isEmpty() || format.equals("table")) ? "{{.Name}}" : format;
            ctx.out().print(Formatter.render(f, DEFAULT_TABLE, HEADERS, rows));
            return 0;
        }
    }

    /** One volume as the docker CLI's volumeContext shows it (`volume ls`, and `system df -v` templates). */
    public static Row row(JsonNode v) {
        return new Row("formatter.volumeContext")
                .field("Name", () -> v.path("Name").asText())
                .field("Driver", () -> v.path("Driver").asText())
                .field("Scope", () -> v.path("Scope").asText())
                .field("Mountpoint", () -> v.path("Mountpoint").asText())
                .field("Labels", () -> KeyValues.joined(v.path("Labels")))
                .field("Links", () -> v.path("UsageData").isObject() ? v.path("UsageData").path("RefCount").asText() : "N/A")
                .field("Size", () -> v.path("UsageData").isObject() ? Units.humanSize(v.path("UsageData").path("Size").asDouble()) : "N/A")
                .field("Availability", () -> cluster(v, "Availability"))
                .field("Group", () -> cluster(v, "Group"))
                .field("Status", () -> v.path("ClusterVolume").isObject() ? "" : "N/A")
                .method("Label", a -> v.path("Labels").path(String.valueOf(a.getFirst())).asText(""));
    }

    /** Cluster volume fields read "N/A" on a volume that is not one, as docker shows them. */
    private static String cluster(JsonNode v, String field) {
        JsonNode spec = v.path("ClusterVolume").path("Spec");
        return spec.isObject() ? spec.path(field).asText("") : "N/A";
    }

    @Command(name = "inspect", customSynopsis = "[OPTIONS] VOLUME [VOLUME...]", description = "Display detailed information on one or more volumes")
    public static final class Inspect extends ApiCommand {
        @Parameters(paramLabel = "VOLUME", arity = "1..*")
        List<String> names = new ArrayList<>();

        @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.JSON)
        String format;

        Inspect(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            return Inspector.inspect(ctx, names, format, "volume", n -> api.get(Query.path("/volumes/%s", n)));
        }
    }

    @Command(name = "rm", customSynopsis = "[OPTIONS] VOLUME [VOLUME...]", description = "Remove one or more volumes. You cannot remove a volume that is in use by a container.")
    public static final class Rm extends ApiCommand {
        @Parameters(paramLabel = "VOLUME", arity = "1..*")
        List<String> names = new ArrayList<>();

        @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes")
        boolean force;

        Rm(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) {
            return Each.run(ctx, names, n -> {
                api.delete(Query.path("/volumes/%s", n).param("force", force));
                return n;
            });
        }
    }

    @Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove unused local volumes")
    public static final class Prune extends ApiCommand {
        @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones")
        boolean all;

        @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<label>\")")
        List<String> filters = new ArrayList<>();

        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;

        Prune(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run(Api api) throws Exception {
            String warning = all ? "WARNING! This will remove all local volumes not used by at least one container."
                    : "WARNING! This will remove anonymous local volumes not used by at least one container.";
            if (!force && !Prompt.confirm(ctx, warning)) {
                return 0;
            }
            List<String> f = new ArrayList<>(filters);
            if (all) {
                f.add("all=true");
            }
            JsonNode report = api.post(Query.path("/volumes/prune").param("filters", Filters.toJson(f)));
            if (!report.path("VolumesDeleted").isEmpty()) {
                StringBuilder b = new StringBuilder("Deleted Volumes:\n");
                report.path("VolumesDeleted").forEach(v -> b.append(v.asText()).append('\n'));
                ctx.out().println(b);
            }
            ctx.out().println("Total reclaimed space: " + Units.humanSize(report.path("SpaceReclaimed").asDouble()));
            return 0;
        }
    }
}
