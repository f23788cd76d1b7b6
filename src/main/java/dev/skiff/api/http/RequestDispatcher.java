package dev.skiff.api.http;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each exchange on its own virtual thread: filters, then the router, then the handler; maps
 * what it throws through ErrorMapper (or, once the response has started, drops the connection),
 * and tells the connection when it may read the next request.
 */
final class RequestDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Router router;
    private final List<Filter> filters;
    private final ExecutorService executor;

    RequestDispatcher(Router router, List<Filter> filters, ExecutorService executor) {
        this.router = router;
        this.filters = List.copyOf(filters);
        this.executor = executor;
    }

    /** Event loop: whether the request {@code head} opens is an upload its handler reads from the socket itself. */
    boolean readsBodyDirectly(io.netty.handler.codec.http.HttpRequest head) {
        String path = new io.netty.handler.codec.http.QueryStringDecoder(head.uri()).rawPath();
        return router.isUpload(head.method().name(), VersionFilter.unversioned(path));
    }

    void dispatch(io.netty.handler.codec.http.HttpRequest head, java.io.InputStream body, NettyResponse response,
                  ConnectionHandler connection) {
        executor.execute(() -> {
            boolean keepAlive = false;
            try {
                HttpRequest request = new NettyRequest(head, body, connection::clientGone);
                chain(0).proceed(request, response);
                keepAlive = response.finish();
            } catch (Throwable t) {
                keepAlive = fail(response, t);
            } finally {
                connection.exchangeDone(keepAlive);
            }
        });
    }

    /** Answers a request the codec could not parse. */
    void reject(NettyResponse response, Throwable cause, ConnectionHandler connection) {
        executor.execute(() -> {
            fail(response, new InvalidArgumentException("malformed HTTP request: " + cause.getMessage(), cause));
            connection.exchangeDone(false);
        });
    }

    private Filter.Chain chain(int index) {
        if (index == filters.size()) {
            return this::route;
        }
        Filter f = filters.get(index);
        return (req, resp) -> {
            boolean[] proceeded = {false};
            f.filter(req, resp, (r, p) -> {
                // The filter contract, checked as OkHttp's interceptors do: at most one proceed().
                if (proceeded[0]) {
                    throw new IllegalStateException(f.getClass().getName() + " called proceed() more than once");
                }
                proceeded[0] = true;
                chain(index + 1).proceed(r, p);
            });
        };
    }

    private void route(HttpRequest request, HttpResponse response) throws Exception {
        Optional<Router.Match> match = router.match(request.method(), request.path());
        if (match.isEmpty()) {
            throw new NotFoundException("page not found");
        }
        Router.Match m = match.get();
        if (m.methodNotAllowed()) {
            response.json(405, Map.of("message", "method " + request.method() + " is not allowed on " + request.path()));
            return;
        }
        m.handler().handle(RewrittenRequest.withPathParams(request, m.pathParams()), response);
    }

    /** @return whether the connection may be kept */
    private static boolean fail(NettyResponse response, Throwable t) {
        if (response.committed()) {
            LOG.debug("request failed after its response started; closing the connection: {}", t.toString());
            response.abort();
            return false;
        }
        try {
            ErrorMapper.write(response, t);
            return response.finish();
        } catch (Throwable again) {
            LOG.debug("could not send the error response: {}", again.toString());
            response.abort();
            return false;
        }
    }
}
