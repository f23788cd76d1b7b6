package dev.skiff.api.http;

import java.nio.charset.StandardCharsets;

/** GET and HEAD /_ping: the liveness check and version discovery every Docker client starts with. */
public final class PingHandler implements HttpHandler {
    private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        response.header("Builder-Version", "1")
                .header("Cache-Control", "no-cache, no-store, must-revalidate")
                .header("Pragma", "no-cache")
                .header("Swarm", "inactive")
                .bytes(200, "text/plain; charset=utf-8", OK);
    }
}
