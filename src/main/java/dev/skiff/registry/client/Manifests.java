package dev.skiff.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.image.Digest;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses what a registry answers for a manifest: an image manifest (Docker schema 2 or OCI) or an index (Docker
 * manifest list or OCI index), defensively: every field checked, unknown kinds refused by name.
 */
final class Manifests {
    private Manifests() {
    }

    /** A content descriptor; platform only in an index. */
    record Descriptor(String mediaType, String digest, long size, List<String> urls, Platform platform) {
    }

    /** os/architecture[/variant] of an index entry or a request ("linux/arm64/v8"). */
    record Platform(String os, String architecture, String variant) {
        /** The operating systems and architectures Go knows (containerd's platforms package checks the same). */
        private static final java.util.Set<String> OSES = java.util.Set.of("aix", "android", "darwin", "dragonfly",
                "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris",
                "wasip1", "windows", "zos");
        private static final java.util.Set<String> ARCHES = java.util.Set.of("386", "amd64", "amd64p32", "arm",
                "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32",
                "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm");

        /**
         * {@code os[/arch[/variant]]}, or an architecture alone (for this host's OS), as containerd's platforms.Parse
         * reads it; a name neither knows is refused as dockerd refuses it.
         */
        static Platform parse(String text) {
            String[] p = text.trim().toLowerCase(java.util.Locale.ROOT).split("/");
            if (p.length < 1 || p.length > 3 || p[0].isEmpty()) {
                throw new InvalidArgumentException("invalid platform " + text + " (expected os[/arch[/variant]])");
            }
            if (p.length == 1 && !OSES.contains(p[0]) && ARCHES.contains(normalizeArch(p[0]))) {
                p = new String[] {"linux", p[0]};
            }
            String arch = p.length > 1 ? normalizeArch(p[1]) : "amd64";
            if (!OSES.contains(p[0]) || !ARCHES.contains(arch)) {
                throw new InvalidArgumentException("\"" + text + "\": unknown operating system or architecture:"
                        + " invalid argument (a platform is os[/arch[/variant]], such as linux/amd64 or linux/arm64)");
            }
            String variant = p.length > 2 ? p[2] : "";
            if (arch.equals("arm64") && variant.equals("v8")) {
                variant = "";
            }
            return new Platform(p[0], arch, variant);
        }

        private static String normalizeArch(String arch) {
            return switch (arch) {
                case "x86_64", "x86-64" -> "amd64";
                case "aarch64" -> "arm64";
                case "i386" -> "386";
                case "armhf", "armel" -> "arm";
                default -> arch;
            };
        }

        @Override
        public String toString() {
            return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
        }
    }

    /** An image manifest: config and layers, bottom first. */
    record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) {
    }

    /** An index / manifest list. */
    record Index(String mediaType, List<Descriptor> manifests) {
        /** The entry for {@code wanted}: same os and architecture, and the variant when one is asked for. */
        Descriptor choose(Platform wanted, String name) {
            Descriptor fallback = null;
            for (Descriptor d : manifests) {
                Platform p = d.platform();
                if (p == null || !p.os().equals(wanted.os()) || !p.architecture().equals(wanted.architecture())) {
                    continue;
                }
                String v = p.architecture().equals("arm64") && p.variant().equals("v8") ? "" : p.variant();
                if (v.equals(wanted.variant())) {
                    return d;
                }
                if (wanted.variant().isEmpty() && fallback == null) {
                    fallback = d;
                }
            }
            if (fallback != null) {
                return fallback;
            }
            throw new NotFoundException("no matching manifest for " + wanted + " in the manifest list entries of " + name
                    + " (it has " + manifests.stream().map(d -> String.valueOf(d.platform())).distinct().toList()
                    + "; pick one with --platform)");
        }
    }

    /** What the bytes are: an image manifest or an index. */
    sealed interface Parsed permits ParsedManifest, ParsedIndex {
    }

    record ParsedManifest(ImageManifest manifest) implements Parsed {
    }

    record ParsedIndex(Index index) implements Parsed {
    }

    /**
     * Parses manifest bytes; {@code contentType} is the registry's Content-Type (the body's own mediaType wins when
     * present, as both say the same for any well-behaved registry).
     */
    static Parsed parse(byte[] bytes, String contentType, String name) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidArgumentException("the manifest of " + name + " is not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new InvalidArgumentException("the manifest of " + name + " is not a JSON object");
        }
        String type = n.path("mediaType").asText("");
        if (type.isEmpty()) {
            type = contentType == null ? "" : contentType.split(";")[0].trim();
        }
        if (type.isEmpty() || type.equals("application/json")) {
            type = n.has("manifests") ? MediaTypes.OCI_INDEX : n.has("layers") ? MediaTypes.OCI_MANIFEST : type;
        }
        if (MediaTypes.isSchema1(type) || n.path("schemaVersion").asInt() == 1) {
            throw new InvalidArgumentException(name + " is stored as a Docker schema 1 manifest, which is no longer"
                    + " supported (push it again with a current client)");
        }
        if (n.path("schemaVersion").asInt() != 2) {
            throw new InvalidArgumentException("the manifest of " + name + " has schemaVersion "
                    + n.path("schemaVersion") + " (expected 2)");
        }
        if (MediaTypes.isIndex(type)) {
            List<Descriptor> entries = new ArrayList<>();
            for (JsonNode m : n.path("manifests")) {
                entries.add(descriptor(m, name));
            }
            return new ParsedIndex(new Index(type, List.copyOf(entries)));
        }
        if (MediaTypes.isManifest(type)) {
            Descriptor config = descriptor(n.path("config"), name);
            List<Descriptor> layers = new ArrayList<>();
            for (JsonNode l : n.path("layers")) {
                layers.add(descriptor(l, name));
            }
            return new ParsedManifest(new ImageManifest(type, config, List.copyOf(layers)));
        }
        throw new InvalidArgumentException("the manifest of " + name + " has media type '" + type
                + "', which is not an image (expected a Docker schema 2 or OCI manifest or index)");
    }

    private static Descriptor descriptor(JsonNode d, String name) {
        if (!d.isObject()) {
            throw new InvalidArgumentException("the manifest of " + name + " has a malformed descriptor: " + d);
        }
        String digest = d.path("digest").asText("");
        if (!Digest.isDigest(digest)) {
            throw new InvalidArgumentException("the manifest of " + name + " has an invalid digest '" + digest + "'");
        }
        long size = d.path("size").asLong(-1);
        if (size < 0) {
            throw new InvalidArgumentException("the manifest of " + name + " has no size for " + digest);
        }
        List<String> urls = new ArrayList<>();
        d.path("urls").forEach(u -> urls.add(u.asText()));
        JsonNode p = d.path("platform");
        Platform platform = p.isObject() ? new Platform(p.path("os").asText(""), p.path("architecture").asText(""),
                p.path("variant").asText("")) : null;
        return new Descriptor(d.path("mediaType").asText(""), digest, size, List.copyOf(urls), platform);
    }
}
