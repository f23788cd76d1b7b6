package dev.skiff.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.skiff.cli.client.ApiClient;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.client.HijackedConnection;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;

/** Short forms of the calls commands make over the {@link ApiClient}; errors surface as ApiException. */
public final class Api {
    private final ApiClient client;

    public Api(ApiClient client) {
        this.client = client;
    }

    public JsonNode get(Query q) throws IOException {
        return json(ApiRequest.get(q.build()));
    }

    public JsonNode post(Query q) throws IOException {
        return json(ApiRequest.post(q.build()));
    }

    public JsonNode post(Query q, Object body) throws IOException {
        return json(ApiRequest.postJson(q.build(), body));
    }

    public JsonNode delete(Query q) throws IOException {
        return json(ApiRequest.delete(q.build()));
    }

    /** Sends and reads the whole body as JSON; an empty body (204) reads as JSON null. */
    public JsonNode json(ApiRequest request) throws IOException {
        try (ApiResponse r = client.send(request)) {
            byte[] body = r.body().readAllBytes();
            if (body.length == 0) {
                return NullNode.getInstance();
            }
            return Json.MAPPER.readTree(body);
        }
    }

    /** A streaming response; the caller closes it. */
    public ApiResponse stream(ApiRequest request) throws IOException {
        return client.send(request);
    }

    public HijackedConnection hijack(ApiRequest request) throws IOException {
        return client.hijack(request);
    }

    public ApiResponse upload(Query q, InputStream body, String contentType) throws IOException {
        return client.send(ApiRequest.post(q.build()).withBody(body, contentType));
    }

    public ApiClient client() {
        return client;
    }
}
