package dev.skiff.api.http;

/**
 * A cross-cutting step around every request (version negotiation, logging, later auth or metrics).
 * Filters run in registration order before routing; each calls {@link Chain#proceed} at most once,
 * possibly with a rewritten request, or answers the request itself and does not proceed.
 */
@FunctionalInterface
public interface Filter {
    void filter(HttpRequest request, HttpResponse response, Chain chain) throws Exception;

    /** The rest of the chain: the next filters, then the router. */
    @FunctionalInterface
    interface Chain {
        void proceed(HttpRequest request, HttpResponse response) throws Exception;
    }
}
