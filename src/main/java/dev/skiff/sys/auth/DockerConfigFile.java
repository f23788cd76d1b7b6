package dev.skiff.sys.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.AtomicFiles;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * The docker client's config.json ($DOCKER_CONFIG or ~/.docker): "auths" keeps base64 "user:password" per
 * registry; "credHelpers" (per registry) or "credsStore" (all registries) hand the secrets to a credential helper
 * instead. Other keys are kept untouched; the file is replaced atomically and readable by its owner only.
 */
public final class DockerConfigFile {
    /** The key Docker Hub's credentials are stored under. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    private static final long MAX_SIZE = 4 << 20;

    private final Path file;
    private final Path helperDir;

    public DockerConfigFile(Path dir) {
        this(dir, null);
    }

    /** With credential helpers taken from {@code helperDir} instead of the PATH (null: the PATH). */
    DockerConfigFile(Path dir, Path helperDir) {
        this.file = dir.resolve("config.json");
        this.helperDir = helperDir;
    }

    /** $DOCKER_CONFIG, else ~/.docker. */
    public static DockerConfigFile forUser() {
        return fromEnv(System.getenv());
    }

    /** DOCKER_CONFIG from {@code environment}, else ~/.docker. */
    public static DockerConfigFile fromEnv(java.util.Map<String, String> environment) {
        String env = environment.get("DOCKER_CONFIG");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".docker");
        return new DockerConfigFile(dir);
    }

    public Path path() {
        return file;
    }

    /** The key a registry's credentials are stored under: Docker Hub's index URL, else "host[:port]". */
    public static String serverKey(String registryHost) {
        String h = registryHost == null ? "" : registryHost.strip();
        return h.isEmpty() || h.equals("docker.io") || h.equals("index.docker.io") || h.equals("registry-1.docker.io")
                || h.equals(DOCKER_HUB_KEY) ? DOCKER_HUB_KEY : h;
    }

    public Optional<AuthEntry> get(String registryHost) {
        String key = serverKey(registryHost);
        ObjectNode root = read();
        Optional<CredentialHelper> helper = helperFor(root, key);
        if (helper.isPresent()) {
            return helper.get().get(key);
        }
        JsonNode entry = findAuth(root, key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.hasNonNull("identitytoken") && !entry.get("identitytoken").asText().isEmpty()) {
            return Optional.of(new AuthEntry(AuthEntry.TOKEN_USER, entry.get("identitytoken").asText()));
        }
        String auth = entry.path("auth").asText("");
        if (auth.isEmpty()) {
            return Optional.empty();
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("the auth of " + key + " in " + file + " is not base64 (log in again)");
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw new InvalidArgumentException("the auth of " + key + " in " + file + " is not user:password (log in again)");
        }
        return Optional.of(new AuthEntry(pair.substring(0, colon), pair.substring(colon + 1)));
    }

    /** Stores credentials in the helper configured for the registry, or base64 in "auths". */
    public void store(String registryHost, AuthEntry entry) throws IOException {
        String key = serverKey(registryHost);
        ObjectNode root = read();
        Optional<CredentialHelper> helper = helperFor(root, key);
        ObjectNode auths = root.has("auths") && root.get("auths").isObject() ? (ObjectNode) root.get("auths")
                : root.putObject("auths");
        if (helper.isPresent()) {
            helper.get().store(key, entry);
            auths.putObject(key); // docker keeps an empty entry so `docker info` lists the registry
        } else {
            String auth = Base64.getEncoder().encodeToString((entry.username() + ":" + entry.secret())
                    .getBytes(StandardCharsets.UTF_8));
            auths.putObject(key).put("auth", auth);
        }
        write(root);
    }

    /** Forgets a registry's credentials; false when none were stored. */
    public boolean erase(String registryHost) throws IOException {
        String key = serverKey(registryHost);
        ObjectNode root = read();
        Optional<CredentialHelper> helper = helperFor(root, key);
        boolean had = false;
        if (helper.isPresent()) {
            had = helper.get().get(key).isPresent();
            helper.get().erase(key);
        }
        if (root.path("auths").isObject()) {
            had |= ((ObjectNode) root.get("auths")).remove(key) != null;
        }
        write(root);
        return had;
    }

    private Optional<CredentialHelper> helperFor(ObjectNode root, String key) {
        String name = root.path("credHelpers").path(key).asText("");
        if (name.isEmpty()) {
            name = root.path("credsStore").asText("");
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(new CredentialHelper(name, helperDir));
    }

    /** The "auths" entry for a key, also under the URL forms older clients wrote ("https://host/v2/"). */
    private static JsonNode findAuth(ObjectNode root, String key) {
        JsonNode auths = root.path("auths");
        if (auths.has(key)) {
            return auths.get(key);
        }
        for (var e : auths.properties()) {
            String k = e.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
            if (k.equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private ObjectNode read() {
        try {
            if (!Files.exists(file)) {
                return Json.MAPPER.createObjectNode();
            }
            if (Files.size(file) > MAX_SIZE) {
                throw new InvalidArgumentException(file + " is larger than " + MAX_SIZE + " bytes");
            }
            JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(file));
            if (n == null || n.isMissingNode() || n.isNull()) {
                return Json.MAPPER.createObjectNode();
            }
            if (!n.isObject()) {
                throw new InvalidArgumentException(file + " is not a JSON object (fix or remove it)");
            }
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read the docker config " + file + ": " + e.getMessage()
                    + " (fix or remove it)");
        }
    }

    /** The docker CLI writes its config with Go's json.MarshalIndent(config, "", "\t"). */
    private static final com.fasterxml.jackson.databind.ObjectWriter GO_TABS = Json.goIndented("\t");

    private void write(ObjectNode root) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, GO_TABS.writeValueAsBytes(root));
    }
}
