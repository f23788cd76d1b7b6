package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.Query;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POST /containers/{id}/wait on its own virtual thread, opened before the container starts so even
 * an instant exit is seen. The daemon answers headers at once and the body at exit; we give the
 * headers a moment to arrive before starting, without depending on it.
 */
final class ContainerWait implements AutoCloseable {
    private final CompletableFuture<ApiResponse> response = new CompletableFuture<>();
    private final CompletableFuture<JsonNode> result = new CompletableFuture<>();

    private ContainerWait(Api api, String id, String condition) {
        Thread.ofVirtual().name("skiff-wait-" + id).start(() -> {
            try {
                ApiResponse r = api.stream(ApiRequest.post(Query.path("/containers/%s/wait", id).param("condition", condition).build()));
                response.complete(r);
                result.complete(Json.MAPPER.readTree(r.body().readAllBytes()));
            } catch (IOException | RuntimeException e) {
                response.completeExceptionally(e);
                result.completeExceptionally(e);
            }
        });
    }

    static ContainerWait open(Api api, String id, String condition) {
        ContainerWait w = new ContainerWait(api, id, condition);
        try {
            w.response.get(2, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // a slow or failed wait shows up in result(); starting must not hang on it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return w;
    }

    /** The wait body ({"StatusCode": n, "Error": ...}), or null when it did not come within the timeout. */
    JsonNode result(long timeout, TimeUnit unit) throws IOException, InterruptedException, TimeoutException {
        try {
            return result.get(timeout, unit);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        ApiResponse r = response.getNow(null);
        if (r != null) {
            try {
                r.close();
            } catch (IOException e) {
                // closing a finished or abandoned wait; nothing to report
            }
        }
        response.cancel(false);
    }
}
