package dev.skiff.api.http;

/** Handles one request on its own virtual thread; plain blocking code is expected. */
@FunctionalInterface
public interface HttpHandler {
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
