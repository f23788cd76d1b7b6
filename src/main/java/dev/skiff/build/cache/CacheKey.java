package dev.skiff.build.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of one build step's result: the same parent, the same instruction (after variable expansion),
 * the same values of the build args the step can see, and the same content of every file it reads give the
 * same key, whatever the files' mtimes. Every part is length-prefixed so no two different inputs can collide
 * by concatenation ("ab"+"c" vs "a"+"bc").
 *
 * @param parent    the image the step starts from ("sha256:..."), or "" for scratch
 * @param step      the instruction as it will run, e.g. "RUN make" or "COPY --chown=1 a b"
 * @param buildArgs the build args in scope that the step sees (RUN gets them all as environment)
 * @param content   digests of what the step reads: COPY/ADD sources, RUN --mount=type=bind sources
 * @param platform  "linux/amd64": the same Dockerfile on another platform makes other layers
 */
public record CacheKey(String parent, String step, Map<String, String> buildArgs, List<String> content,
                       String platform) {
    private static final String VERSION = "skiff-build-cache-v1";

    public CacheKey {
        // values may be null (an ARG declared without a value), which Map.copyOf refuses
        buildArgs = buildArgs == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(buildArgs));
        content = content == null ? List.of() : List.copyOf(content);
        parent = parent == null ? "" : parent;
        platform = platform == null ? "" : platform;
    }

    /** "sha256:&lt;hex&gt;" of every part. */
    public String digest() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        part(sha, VERSION);
        part(sha, parent);
        part(sha, platform);
        part(sha, step);
        part(sha, Integer.toString(buildArgs.size()));
        new TreeMap<>(buildArgs).forEach((k, v) -> {
            part(sha, k);
            part(sha, v == null ? "\0unset" : v);
        });
        part(sha, Integer.toString(content.size()));
        content.forEach(c -> part(sha, c));
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static void part(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(b);
    }
}
