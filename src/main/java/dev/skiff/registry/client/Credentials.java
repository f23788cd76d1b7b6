package dev.skiff.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a client proves itself with at one registry: a user name and password (or an identity token), as the
 * docker CLI sends them in X-Registry-Auth and POST /auth.
 *
 * @param username      the user, or "" for anonymous
 * @param password      the password or access token
 * @param identityToken an OAuth2 refresh token from an earlier login, or ""
 * @param registryToken a bearer token to send as is, or ""
 */
public record Credentials(String username, String password, String identityToken, String registryToken) {
    public static final Credentials ANONYMOUS = new Credentials("", "", "", "");
    private static final int MAX_HEADER = 64 * 1024;

    public Credentials {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        identityToken = identityToken == null ? "" : identityToken;
        registryToken = registryToken == null ? "" : registryToken;
    }

    public static Credentials basic(String username, String password) {
        return new Credentials(username, password, "", "");
    }

    public boolean isAnonymous() {
        return username.isEmpty() && identityToken.isEmpty() && registryToken.isEmpty();
    }

    /** The Authorization header value for basic auth. */
    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes X-Registry-Auth: base64url of a JSON AuthConfig ({"username","password","auth","identitytoken",
     * "registrytoken","serveraddress"}); the CLI may send the standard alphabet and padding or not. A missing or
     * empty header ("e30=" is "{}") is anonymous.
     */
    public static Credentials fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        if (header.length() > MAX_HEADER) {
            throw new InvalidArgumentException("X-Registry-Auth is larger than " + MAX_HEADER + " bytes");
        }
        String b64 = header.strip().replace('+', '-').replace('/', '_');
        while (b64.endsWith("=")) {
            b64 = b64.substring(0, b64.length() - 1);
        }
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("X-Registry-Auth is not base64url-encoded JSON: " + e.getMessage());
        }
        return fromJson(json);
    }

    /** Decodes an AuthConfig JSON body (POST /auth, X-Registry-Auth). */
    public static Credentials fromJson(byte[] json) {
        JsonNode n;
        try {
            n = json.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidArgumentException("the registry credentials are not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new InvalidArgumentException("the registry credentials must be a JSON object");
        }
        String user = n.path("username").asText("");
        String pass = n.path("password").asText("");
        String auth = n.path("auth").asText("");
        if (user.isEmpty() && !auth.isEmpty()) {
            String pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon > 0) {
                user = pair.substring(0, colon);
                pass = pair.substring(colon + 1);
            }
        }
        return new Credentials(user, pass, n.path("identitytoken").asText(""), n.path("registrytoken").asText(""));
    }

    /** The server address an AuthConfig JSON names ("serveraddress"), or "". */
    public static String serverAddress(byte[] json) {
        try {
            return json.length == 0 ? "" : Json.MAPPER.readTree(json).path("serveraddress").asText("");
        } catch (IOException e) {
            throw new InvalidArgumentException("the registry credentials are not valid JSON: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        // never the secret
        return isAnonymous() ? "anonymous" : !username.isEmpty() ? "user " + username
                : !identityToken.isEmpty() ? "an identity token" : "a registry token";
    }
}
