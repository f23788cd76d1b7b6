package dev.skiff.sys.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A docker credential helper ({@code docker-credential-NAME} on the PATH) spoken to with its protocol: the
 * action as the argument, the server URL (get, erase) or a JSON credential (store) on stdin, JSON on stdout.
 */
public final class CredentialHelper {
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_OUTPUT = 1 << 20;

    private final String name;
    private final java.nio.file.Path dir;

    public CredentialHelper(String name) {
        this(name, null);
    }

    /** A helper found in {@code dir} rather than on the PATH (null: the PATH). */
    CredentialHelper(String name, java.nio.file.Path dir) {
        this.dir = dir;
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new InvalidArgumentException("invalid credential helper name '" + name + "' in the docker config");
        }
        this.name = name;
    }

    /** The credentials the helper has for {@code serverUrl}, or empty when it has none. */
    public Optional<AuthEntry> get(String serverUrl) {
        Result r = run("get", serverUrl.getBytes(StandardCharsets.UTF_8));
        if (r.exit != 0) {
            if (r.out.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
                return Optional.empty();
            }
            throw failure("get", r);
        }
        try {
            JsonNode n = Json.MAPPER.readTree(r.out);
            return Optional.of(new AuthEntry(n.path("Username").asText(""), n.path("Secret").asText("")));
        } catch (IOException e) {
            throw new UnavailableException("credential helper docker-credential-" + name + " answered get with"
                    + " something other than JSON: " + e.getMessage());
        }
    }

    public void store(String serverUrl, AuthEntry entry) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("ServerURL", serverUrl);
        body.put("Username", entry.username());
        body.put("Secret", entry.secret());
        try {
            Result r = run("store", Json.COMPACT.writeValueAsBytes(body));
            if (r.exit != 0) {
                throw failure("store", r);
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot encode credentials for docker-credential-" + name, e);
        }
    }

    public void erase(String serverUrl) {
        Result r = run("erase", serverUrl.getBytes(StandardCharsets.UTF_8));
        if (r.exit != 0 && !r.out.toLowerCase(java.util.Locale.ROOT).contains("not found")) {
            throw failure("erase", r);
        }
    }

    private record Result(int exit, String out) {
    }

    private UnavailableException failure(String action, Result r) {
        return new UnavailableException("credential helper docker-credential-" + name + " failed to " + action
                + " (exit " + r.exit + "): " + r.out.strip());
    }

    private Result run(String action, byte[] input) {
        String exe = dir == null ? "docker-credential-" + name : dir.resolve("docker-credential-" + name).toString();
        try {
            Process p = new ProcessBuilder(exe, action).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(input);
            }
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readNBytes(MAX_OUTPUT);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new UnavailableException(exe + " " + action + " did not finish within " + TIMEOUT_SECONDS + "s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UnavailableException("cannot run credential helper " + exe + ": " + e.getMessage()
                    + " (install it, or remove credsStore/credHelpers from the docker config)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while running " + exe, e);
        }
    }
}
