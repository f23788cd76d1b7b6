package dev.skiff.cli.commands.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.Version;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.TabWriter;
import dev.skiff.cli.format.Template;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker version: Client and Server sections, or a template over {Client, Server}. */
@Command(name = "version", customSynopsis = "[OPTIONS]", description = "Show the Skiff version information")
public final class VersionCommand extends ApiCommand {
    static final String TEMPLATE = """
            {{with .Client -}}
            Client:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
             Version:\t{{.Version}}
             API version:\t{{.APIVersion}}
             Java version:\t{{.JavaVersion}}
             OS/Arch:\t{{.Os}}/{{.Arch}}
             Context:\t{{.Context}}
            {{- end}}

            {{- if .ServerOK}}{{with .Server}}

            Server:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
             {{- range $component := .Components}}
             {{$component.Name}}:
              {{- if eq $component.Name "Engine" }}
              Version:\t{{.Version}}
              API version:\t{{index .Details "ApiVersion"}} (minimum version {{index .Details "MinAPIVersion"}})
              Go version:\t{{index .Details "GoVersion"}}
              Git commit:\t{{index .Details "GitCommit"}}
              Built:\t{{index .Details "BuildTime"}}
              OS/Arch:\t{{index .Details "Os"}}/{{index .Details "Arch"}}
              Experimental:\t{{index .Details "Experimental"}}
              {{- else }}
              Version:\t{{$component.Version}}
              {{- range $key := detailsOrder $component}}
              {{$key}}:\t{{index $component.Details $key}}
               {{- end}}
              {{- end}}
             {{- end}}
             {{- end}}{{- end}}""";

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.JSON)
    String format;

    VersionCommand(CliContext ctx) {
        super(ctx);
    }

    static Map<String, Object> client() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Platform", Map.of("Name", "Skiff"));
        c.put("Version", Version.number());
        c.put("APIVersion", Version.API_VERSION);
        c.put("DefaultAPIVersion", Version.API_VERSION);
        c.put("JavaVersion", Runtime.version().toString());
        c.put("Os", "linux");
        c.put("Arch", goArch(System.getProperty("os.arch")));
        c.put("Context", "default");
        return c;
    }

    private static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> javaArch;
        };
    }

    @Override
    protected int run(Api api) throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Client", client());
        IOException failure = null;
        try {
            data.put("Server", Json.MAPPER.convertValue(withComponents(api.get(Query.path("/version"))), Object.class));
            data.put("ServerOK", true);
        } catch (IOException e) {
            data.put("Server", null);
            data.put("ServerOK", false);
            failure = e;
        }
        Template t = Template.parse(format == null || format.isEmpty() ? TEMPLATE
                : format.equals("json") ? "{{json .}}" : format).withFunction("detailsOrder", VersionCommand::detailsOrder);
        String text;
        if (format == null || format.isEmpty()) {
            text = t.execute(data) + "\n";
        } else {
            // docker's template runs on its versionInfo struct, named "version": a field it lacks is an error (its
            // ServerOK is a method the template cannot reach)
            Map<String, Object> fields = new LinkedHashMap<>(data);
            fields.remove("ServerOK");
            Map<String, Object> client = new LinkedHashMap<>(client());
            fields.put("Client", dev.skiff.cli.format.GoTypes.struct("system.clientVersion", client));
            StringBuilder out = new StringBuilder();
            try {
                t.named("version").execute(dev.skiff.cli.format.GoTypes.struct("system.versionInfo", fields), false, out);
            } catch (dev.skiff.cli.format.TemplateException e) {
                // docker ends what was printed before the failure with a newline, then reports it
                ctx.out().println(out);
                ctx.out().flush();
                throw e;
            }
            text = out + "\n";
        }
        ctx.out().print(format == null || format.isEmpty() ? TabWriter.align(text, 20, 1) : text);
        ctx.out().flush();
        if (failure != null) {
            throw failure;
        }
        return 0;
    }

    /** A daemon that lists no components still gets an Engine section, built from its top-level fields. */
    private static JsonNode withComponents(JsonNode v) {
        if (!v.path("Components").isEmpty() || !v.isObject()) {
            return v;
        }
        ObjectNode copy = ((ObjectNode) v).deepCopy();
        ObjectNode engine = copy.putArray("Components").addObject();
        engine.put("Name", "Engine");
        engine.put("Version", v.path("Version").asText());
        ObjectNode d = engine.putObject("Details");
        for (String k : List.of("ApiVersion", "MinAPIVersion", "GoVersion", "GitCommit", "BuildTime", "Os", "Arch", "KernelVersion")) {
            d.put(k, v.path(k).asText(""));
        }
        d.put("Experimental", v.path("Experimental").asText("false"));
        return copy;
    }

    private static Object detailsOrder(List<Object> args) {
        Object component = args.getFirst();
        List<String> keys = new ArrayList<>();
        if (component instanceof Map<?, ?> m && m.get("Details") instanceof Map<?, ?> d) {
            d.keySet().forEach(k -> keys.add(String.valueOf(k)));
        }
        keys.sort(null);
        return keys;
    }
}
