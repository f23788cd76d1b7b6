package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.NaturalOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** docker port: "80/tcp -> 0.0.0.0:8080" for all, or just the host addresses of one private port. */
@Command(name = "port", customSynopsis = "CONTAINER [PRIVATE_PORT[/PROTO]]", description = "List port mappings or a specific mapping for the container")
public final class PortCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "PRIVATE_PORT[/PROTO]", arity = "0..1")
    String privatePort;

    PortCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        JsonNode ports = api.get(Query.path("/containers/%s/json", container)).path("NetworkSettings").path("Ports");
        List<String> lines = new ArrayList<>();
        if (privatePort != null) {
            int slash = privatePort.indexOf('/');
            String port = slash < 0 ? privatePort : privatePort.substring(0, slash);
            String proto = slash < 0 || slash == privatePort.length() - 1 ? "tcp" : privatePort.substring(slash + 1);
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                throw CliFailure.of("Error: invalid port (" + port + "): strconv.ParseUint: parsing \"" + port + "\": "
                        + (port.matches("\\d+") ? "value out of range" : "invalid syntax"), 1);
            }
            for (JsonNode b : ports.path(port + "/" + proto)) {
                lines.add(address(b));
            }
            if (lines.isEmpty()) {
                throw CliFailure.of("Error: No public port '" + privatePort + "' published for " + container, 1);
            }
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                for (JsonNode b : e.getValue()) {
                    lines.add(e.getKey() + " -> " + address(b));
                }
            }
        }
        lines.sort(NaturalOrder.INSTANCE);
        lines.forEach(ctx.out()::println);
        return 0;
    }

    private static String address(JsonNode b) {
        String ip = b.path("HostIp").asText("");
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return host + ":" + b.path("HostPort").asText("");
    }
}
