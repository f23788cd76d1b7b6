package dev.skiff.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.image.Digest;
import dev.skiff.sys.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the registry needs to know of a pushed manifest: its media type, the blobs and child manifests it
 * references (which must exist before it is accepted), and its subject, artifact type and annotations for
 * the referrers API. Parsed defensively: anything malformed is MANIFEST_INVALID.
 */
public record ManifestInfo(String mediaType, List<Ref> blobs, List<Ref> children, Optional<Digest> subject,
                           String artifactType, Map<String, String> annotations) {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final Set<String> KNOWN = Set.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST);
    /** The spec's minimum every registry should accept, and this registry's maximum. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    /** A referenced blob or manifest and the size the manifest says it has. */
    public record Ref(Digest digest, long size) {
    }

    public boolean isIndex() {
        return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST);
    }

    /** The media type a Content-Type header names, without parameters, or "" when absent. */
    static String baseType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code bytes} pushed with {@code contentType}. */
    public static ManifestInfo parse(byte[] bytes, String contentType) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw invalid("the manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw invalid("the manifest could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("the manifest is not a JSON object");
        }
        String declared = root.path("mediaType").asText("");
        String header = baseType(contentType);
        String type = declared.isEmpty() ? header : declared;
        if (type.isEmpty() || !KNOWN.contains(type)) {
            throw invalid("unsupported manifest media type \"" + RepositoryName.shorten(type.isEmpty() ? header : type)
                    + "\" (accepted: " + String.join(", ", KNOWN.stream().sorted().toList()) + ")");
        }
        if (!declared.isEmpty() && KNOWN.contains(header) && !header.equals(declared)) {
            throw invalid("Content-Type " + header + " does not match the manifest's mediaType " + declared);
        }
        if (root.path("schemaVersion").asInt(-1) != 2) {
            throw invalid("the manifest's schemaVersion must be 2");
        }
        List<Ref> blobs = new ArrayList<>();
        List<Ref> children = new ArrayList<>();
        String artifactType = root.path("artifactType").asText("");
        if (type.equals(OCI_INDEX) || type.equals(DOCKER_LIST)) {
            for (JsonNode d : array(root, "manifests", true)) {
                children.add(descriptor(d).ref());
            }
        } else {
            JsonNode config = root.get("config");
            if (config == null) {
                throw invalid("the image manifest has no config descriptor");
            }
            Descriptor c = descriptor(config);
            blobs.add(c.ref());
            if (artifactType.isEmpty()) {
                artifactType = c.mediaType();
            }
            for (JsonNode d : array(root, "layers", false)) {
                Descriptor layer = descriptor(d);
                // Foreign layers live at their URLs, never in a registry.
                if (!d.has("urls") && !layer.mediaType().contains("nondistributable")
                        && !layer.mediaType().contains("foreign")) {
                    blobs.add(layer.ref());
                }
            }
        }
        Optional<Digest> subject = root.has("subject") ? Optional.of(descriptor(root.get("subject")).digest()) : Optional.empty();
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode a = root.path("annotations");
        if (a.isObject()) {
            a.fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        }
        return new ManifestInfo(type, List.copyOf(blobs), List.copyOf(children), subject, artifactType, annotations);
    }

    private record Descriptor(String mediaType, Digest digest, long size) {
        Ref ref() {
            return new Ref(digest, size);
        }
    }

    private static Descriptor descriptor(JsonNode d) {
        if (d == null || !d.isObject()) {
            throw invalid("a descriptor in the manifest is not an object");
        }
        String digest = d.path("digest").asText("");
        if (!Digest.isDigest(digest)) {
            throw invalid("a descriptor in the manifest has an invalid digest \"" + RepositoryName.shorten(digest) + "\"");
        }
        JsonNode size = d.get("size");
        if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
            throw invalid("the descriptor of " + digest + " has no valid size");
        }
        return new Descriptor(d.path("mediaType").asText(""), Digest.parse(digest), size.asLong());
    }

    private static Iterable<JsonNode> array(JsonNode root, String field, boolean required) {
        JsonNode n = root.get(field);
        if (n == null && !required) {
            return List.of();
        }
        if (n == null || !n.isArray()) {
            throw invalid("the manifest's " + field + " must be an array");
        }
        return n;
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, message);
    }
}
