package dev.skiff.build.dockerfile;

/**
 * One {@code RUN --mount=...}, with every key the reference lists. As parsed the values are raw;
 * {@link InstructionExpander} substitutes the stage's variables in them (as BuildKit does). Defaults are already applied: a bind mount is read-only unless rw was
 * given; cache mounts are read-write and {@code SHARED}; {@code target} is required except for secret
 * (default /run/secrets/&lt;id&gt;) and ssh (default /run/buildkit/ssh_agent.&lt;n&gt;, left null here).
 *
 * @param type    bind, cache, tmpfs, secret or ssh
 * @param target  the mount point in the container (also "dst"/"destination"), null if not given
 * @param source  the path in {@code from} (bind, cache), null if not given
 * @param from    a stage name, stage index or image reference (bind, cache); null means the build context
 *                (bind) or an empty cache directory (cache)
 * @param id      cache id (defaults to target), secret id (defaults to basename of target), ssh id
 *                ("default")
 * @param sharing cache sharing mode
 * @param mode    permission bits in octal for cache/secret/ssh; null if not given
 * @param uid     owner uid for cache/secret/ssh; null if not given
 * @param gid     owner gid; null if not given
 * @param readOnly true for "ro"/"readonly" (bind default), false for "rw"/"readwrite"
 * @param size    tmpfs size in bytes; null means unlimited
 * @param required secret/ssh: fail when the secret is missing (default false)
 * @param env     secret: name of the environment variable to expose the secret as; null if not given
 * @param spec    the raw text after {@code --mount=}, which {@link InstructionExpander} parses again after
 *                substituting variables (a numeric key holding a variable is null until then)
 */
public record RunMount(Type type, String target, String source, String from, String id, Sharing sharing,
                       Integer mode, Long uid, Long gid, boolean readOnly, Long size, boolean required,
                       String env, String spec) {
    public enum Type { BIND, CACHE, TMPFS, SECRET, SSH }

    public enum Sharing { SHARED, PRIVATE, LOCKED }
}
