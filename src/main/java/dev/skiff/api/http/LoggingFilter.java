package dev.skiff.api.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each request and how long its handler ran, at debug level (run skiffd with debug to see them). */
public final class LoggingFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger("dev.skiff.api.http.requests");

    @Override
    public void filter(HttpRequest request, HttpResponse response, Chain chain) throws Exception {
        if (!LOG.isDebugEnabled()) {
            chain.proceed(request, response);
            return;
        }
        long start = System.nanoTime();
        String what = request.method() + " " + request.path();
        try {
            chain.proceed(request, response);
            LOG.debug("{} done in {} ms", what, (System.nanoTime() - start) / 1_000_000);
        } catch (Exception | Error e) {
            LOG.debug("{} failed in {} ms: {}", what, (System.nanoTime() - start) / 1_000_000, e.toString());
            throw e;
        }
    }
}
