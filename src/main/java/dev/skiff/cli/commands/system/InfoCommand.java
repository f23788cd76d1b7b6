package dev.skiff.cli.commands.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.Version;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Output;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.GoTypes;
import dev.skiff.cli.format.Template;
import dev.skiff.cli.format.Units;
import dev.skiff.sys.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker info: the daemon's /info in docker's human layout, or a template over it. */
@Command(name = "info", customSynopsis = "[OPTIONS]", description = "Display system-wide information")
public final class InfoCommand extends ApiCommand {
    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.JSON)
    String format;

    InfoCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        JsonNode info;
        try {
            info = api.get(Query.path("/info"));
        } catch (java.io.IOException e) {
            if (format == null || format.isEmpty()) {
                // docker still shows what it knows about itself before the daemon's error
                printClient(ctx.out());
                ctx.out().println("Server:");
                ctx.out().flush();
            }
            throw e;
        }
        if (format != null && !format.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = Json.MAPPER.convertValue(info, Map.class);
            data.put("ClientInfo", Map.of("Debug", ctx.debug(), "Version", Version.number(), "Context", "default"));
            String f = format.equals("json") ? "{{json .}}" : format;
            // docker runs the template on its dockerInfo struct: a field it lacks is an error, one the daemon left
            // out its zero value; what was printed before an error stays
            Object typed = GoTypes.typed(data, "info", "system.dockerInfo");
            StringBuilder out = new StringBuilder();
            try {
                Template.parse(f).execute(typed == null ? data : typed, false, out);
            } finally {
                ctx.out().println(out);
                ctx.out().flush();
            }
            return 0;
        }
        PrintStream o = ctx.out();
        printClient(o);
        o.println("Server:");
        o.println(" Containers: " + info.path("Containers").asLong());
        o.println("  Running: " + info.path("ContainersRunning").asLong());
        o.println("  Paused: " + info.path("ContainersPaused").asLong());
        o.println("  Stopped: " + info.path("ContainersStopped").asLong());
        o.println(" Images: " + info.path("Images").asLong());
        line(o, "Server Version", info.path("ServerVersion"));
        line(o, "Storage Driver", info.path("Driver"));
        for (JsonNode status : info.path("DriverStatus")) {
            o.println("  " + status.path(0).asText() + ": " + status.path(1).asText());
        }
        line(o, "Logging Driver", info.path("LoggingDriver"));
        line(o, "Cgroup Driver", info.path("CgroupDriver"));
        line(o, "Cgroup Version", info.path("CgroupVersion"));
        plugins(o, info.path("Plugins"));
        o.println(" Swarm: " + info.path("Swarm").path("LocalNodeState").asText(""));
        runtimes(o, info);
        line(o, "Kernel Version", info.path("KernelVersion"));
        line(o, "Operating System", info.path("OperatingSystem"));
        line(o, "OSType", info.path("OSType"));
        line(o, "Architecture", info.path("Architecture"));
        o.println(" CPUs: " + info.path("NCPU").asLong());
        o.println(" Total Memory: " + Units.bytesSize(info.path("MemTotal").asDouble()));
        line(o, "Name", info.path("Name"));
        line(o, "ID", info.path("ID"));
        line(o, "Docker Root Dir", info.path("DockerRootDir"));
        o.println(" Debug Mode: " + info.path("Debug").asBoolean());
        list(o, "Labels", info.path("Labels"));
        o.println(" Experimental: " + info.path("ExperimentalBuild").asBoolean());
        list(o, "Insecure Registries", info.path("RegistryConfig").path("InsecureRegistryCIDRs"));
        o.println(" Live Restore Enabled: " + info.path("LiveRestoreEnabled").asBoolean());
        // the docker CLI ends the server's section with an empty line
        o.println();
        for (JsonNode w : info.path("Warnings")) {
            ctx.err().println(w.asText());
        }
        return 0;
    }

    private void printClient(PrintStream o) {
        o.println("Client:");
        o.println(" Version:    " + Version.number());
        o.println(" Context:    default");
        o.println(" Debug Mode: " + ctx.debug());
        o.println();
    }

    /** docker's Plugins block: Volume, Network, Authorization when there is any, Log. */
    private static void plugins(PrintStream o, JsonNode p) {
        o.println(" Plugins:");
        o.println("  Volume: " + joined(p.path("Volume")));
        o.println("  Network: " + joined(p.path("Network")));
        if (!p.path("Authorization").isEmpty()) {
            o.println("  Authorization: " + joined(p.path("Authorization")));
        }
        o.println("  Log: " + joined(p.path("Log")));
    }

    /** Runtimes, the default one, and on Linux the init binary, the component versions and security options. */
    private static void runtimes(PrintStream o, JsonNode info) {
        if (!info.path("Runtimes").isEmpty()) {
            List<String> names = new ArrayList<>();
            info.path("Runtimes").fieldNames().forEachRemaining(names::add);
            o.println(" Runtimes: " + String.join(" ", names));
            o.println(" Default Runtime: " + info.path("DefaultRuntime").asText(""));
        }
        if (!info.path("OSType").asText("").equals("linux")) {
            return;
        }
        o.println(" Init Binary: " + info.path("InitBinary").asText(""));
        for (String component : List.of("containerd", "runc", "init")) {
            String key = Character.toUpperCase(component.charAt(0)) + component.substring(1) + "Commit";
            o.println(" " + component + " version: " + info.path(key).path("ID").asText(""));
        }
        if (!info.path("SecurityOptions").isEmpty()) {
            o.println(" Security Options:");
            // each "name=seccomp,profile=builtin": its name, then its profile when it has one
            for (JsonNode opt : info.path("SecurityOptions")) {
                for (String kv : opt.asText().split(",")) {
                    String[] pair = kv.split("=", 2);
                    if (pair.length == 2 && pair[0].equals("name")) {
                        o.println("  " + pair[1]);
                    } else if (pair.length == 2 && pair[0].equals("profile")) {
                        o.println("   Profile: " + pair[1]);
                    }
                }
            }
        }
    }

    private static String joined(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.asText()));
        return String.join(" ", out);
    }

    private static void line(PrintStream o, String label, JsonNode value) {
        if (!value.isMissingNode() && !value.isNull() && !value.asText().isEmpty()) {
            o.println(" " + label + ": " + value.asText());
        }
    }

    private static void list(PrintStream o, String label, JsonNode values) {
        if (values.isArray() && !values.isEmpty()) {
            o.println(" " + label + ":");
            values.forEach(v -> o.println("  " + (v.isTextual() ? v.asText() : Output.indented(v))));
        }
    }

}
