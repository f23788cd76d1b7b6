package dev.skiff.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.skiff.errors.ForbiddenException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bearer tokens from a token server: the spec's GET with basic credentials, and OAuth2 for identity tokens. */
class RegistrySessionTokenTest {
    private HttpServer server;
    private URI base;
    private final Map<String, String> lastForm = new ConcurrentHashMap<>();
    private volatile String lastTokenMethod = "";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        server.createContext("/v2/", ex -> {
            if ("Bearer granted".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 200, "{}");
            } else {
                ex.getResponseHeaders().add("WWW-Authenticate",
                        "Bearer realm=\"" + base + "/token\",service=\"test-registry\"");
                reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            }
        });
        server.createContext("/token", ex -> {
            lastTokenMethod = ex.getRequestMethod();
            String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            lastForm.clear();
            if (!form.isEmpty()) {
                lastForm.putAll(java.util.Arrays.stream(form.split("&")).map(kv -> kv.split("=", 2))
                        .collect(Collectors.toMap(kv -> kv[0], kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8))));
            }
            if (ex.getRequestMethod().equals("POST") && !"good-refresh".equals(lastForm.get("refresh_token"))) {
                reply(ex, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            reply(ex, 200, "{\"access_token\":\"granted\",\"expires_in\":300}");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (var out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private RegistrySession session(Credentials creds) {
        return RegistrySession.open(new RegistryHttp(RegistryOptions.defaults()), base, creds);
    }

    private int get(RegistrySession s) throws IOException {
        HttpResponse<InputStream> r = s.send(HttpRequest.newBuilder(s.uri("/v2/")).GET(), List.of("repository:team/app:pull"));
        r.body().close();
        return r.statusCode();
    }

    @Test
    void identityToken_isExchangedWithTheRefreshTokenGrant() throws IOException {
        RegistrySession s = session(new Credentials("", "", "good-refresh", ""));
        assertThat(get(s)).isEqualTo(200);
        assertThat(lastTokenMethod).isEqualTo("POST");
        assertThat(lastForm).containsEntry("grant_type", "refresh_token").containsEntry("refresh_token", "good-refresh")
                .containsEntry("client_id", "docker").containsEntry("service", "test-registry")
                .containsEntry("scope", "repository:team/app:pull");
    }

    @Test
    void aRefusedIdentityToken_saysToLogInAgain() {
        RegistrySession s = session(new Credentials("", "", "revoked", ""));
        assertThatThrownBy(() -> get(s)).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("refused the credentials").hasMessageContaining("an identity token")
                .hasMessageContaining("log in again").hasMessageNotContaining("revoked");
    }

    @Test
    void passwordCredentials_stillUseTheSpecsGet() throws IOException {
        RegistrySession s = session(new Credentials("alice", "secret", "", ""));
        assertThat(get(s)).isEqualTo(200);
        assertThat(lastTokenMethod).isEqualTo("GET");
    }
}
