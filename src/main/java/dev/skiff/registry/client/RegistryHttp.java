package dev.skiff.registry.client;

import dev.skiff.errors.UnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The daemon's connections to registries: one JDK HttpClient per TLS configuration, where each registry lives
 * (https, or plain http where allowed and https is not spoken), and the bearer tokens obtained so far. Shared by
 * every pull, push and login; thread-safe.
 */
public final class RegistryHttp {
    static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_ENDPOINT = "registry-1.docker.io";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    static {
        // The JDK client moves bodies in buffers of this size (16 KiB by default), and an InputStream body costs a
        // selector round trip per buffer: on loopback that, not the network, capped a pull. Read once, when the
        // client's classes load, so it is set before the first client exists (unless the operator set it).
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 << 10));
        }
    }

    private final RegistryOptions options;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private final Map<String, URI> bases = new ConcurrentHashMap<>();
    private final TokenCache tokens = new TokenCache();

    public RegistryHttp(RegistryOptions options) {
        this.options = options;
    }

    public RegistryOptions options() {
        return options;
    }

    TokenCache tokens() {
        return tokens;
    }

    /** The host:port requests for a reference's domain go to ("docker.io" is served by registry-1.docker.io). */
    static String endpointHost(String domain) {
        return domain.equals(DOCKER_HUB) || domain.equals("index.docker.io") ? DOCKER_HUB_ENDPOINT : domain;
    }

    /** Where to pull a domain's images from, in order: docker.io's mirrors first, then the registry itself. */
    List<URI> pullBases(String domain) {
        List<URI> all = new ArrayList<>();
        if (domain.equals(DOCKER_HUB)) {
            for (URI m : options.mirrors()) {
                all.add(URI.create(m.toString().replaceAll("/+$", "")));
            }
        }
        all.add(base(endpointHost(domain)));
        return all;
    }

    /**
     * The base URI of a registry: https, unless plain http is allowed for it (loopback, insecure-registries) and it
     * does not speak TLS, as dockerd decides.
     */
    URI base(String hostPort) {
        return bases.computeIfAbsent(hostPort, h -> {
            URI https = URI.create("https://" + h);
            if (!options.allowsPlainHttp(h)) {
                return https;
            }
            try {
                HttpRequest probe = HttpRequest.newBuilder(https.resolve("/v2/")).timeout(PROBE_TIMEOUT).GET().build();
                client(h).send(probe, HttpResponse.BodyHandlers.discarding());
                return https;
            } catch (SSLException e) {
                return URI.create("http://" + h);
            } catch (IOException e) {
                // Unreachable or not TLS: plain http, whose own request reports the failure with the host named.
                return URI.create("http://" + h);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while contacting registry " + h, e);
            }
        });
    }

    /** The client for a registry host (its certs.d directory decides the TLS settings). */
    HttpClient client(String hostPort) {
        return clients.computeIfAbsent(hostPort, h -> {
            HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(options.connectTimeout());
            // The client's own (platform) threads: virtual ones would share the few carriers with the CPU-bound
            // compression and unpacking of the same pull or push, and starve the selector's callbacks.
            java.util.Optional<SSLContext> tls = TlsContexts.forRegistry(options.certsRoot(), h);
            tls.ifPresent(b::sslContext);
            return b.build();
        });
    }

    /** Sends one request; an unreachable registry becomes a prompt error naming the host and the way out. */
    <T> HttpResponse<T> send(String hostPort, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client(hostPort).send(request, handler);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable(hostPort, request, e);
        } catch (HttpTimeoutException e) {
            throw new UnavailableException(request.method() + " " + request.uri() + ": registry " + hostPort
                    + " did not answer in time (check that it is running and not overloaded)", e);
        } catch (SSLException e) {
            throw new UnavailableException(request.method() + " " + request.uri() + ": TLS with registry " + hostPort
                    + " failed: " + e.getMessage() + " (trust its CA by putting it in " + options.certsRoot() + "/"
                    + hostPort + "/ca.crt, or list it in insecure-registries if it speaks plain http)", e);
        } catch (IOException e) {
            if (e.getCause() instanceof java.nio.channels.UnresolvedAddressException
                    || e instanceof java.net.UnknownHostException) {
                throw unreachable(hostPort, request, e);
            }
            throw new UnavailableException(request.method() + " " + request.uri() + ": " + describe(e)
                    + " (registry " + hostPort + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while talking to registry " + hostPort, e);
        }
    }

    private static UnavailableException unreachable(String hostPort, HttpRequest request, IOException e) {
        return new UnavailableException(request.method() + " \"" + request.uri() + "\": cannot reach registry "
                + hostPort + ": " + describe(e) + " (check that the registry is running and the address is right;"
                + " this machine may be offline: use a registry on it, or docker load an archive)", e);
    }

    static String describe(Throwable e) {
        if (e instanceof ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "connection refused";
        }
        String m = e.getMessage();
        // The client wraps a failed request body (a layer being read) with the cause's toString as its message:
        // the cause's own message is the one a person needs.
        for (Throwable c = e.getCause(); c != null && m != null; c = c.getCause()) {
            if (c.getMessage() != null && m.endsWith(c.getClass().getName() + ": " + c.getMessage())) {
                return describe(c);
            }
        }
        if (m == null || m.isBlank()) {
            m = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getClass().getSimpleName();
        }
        if (m.contains("header parser received no bytes") || e instanceof java.io.EOFException) {
            // the JDK client's words for a connection closed before any answer
            return "the registry closed the connection without answering (did it stop or restart? try again)";
        }
        return m;
    }
}
