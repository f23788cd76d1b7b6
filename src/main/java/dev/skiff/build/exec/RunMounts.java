package dev.skiff.build.exec;

import dev.skiff.build.dockerfile.RunMount;
import dev.skiff.build.dockerfile.RunScript;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.RuntimeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The mounts of one RUN step in OCI terms: its /etc files, and each --mount (cache, bind from the context or a
 * stage, tmpfs, secret), plus a shebang heredoc's script. Holds what it acquired (cache locks, stage views,
 * files) until {@link #close()}.
 */
final class RunMounts implements AutoCloseable {
    private final List<RuntimeSpec.Mount> mounts = new ArrayList<>();
    private final List<String> env = new ArrayList<>();
    private final List<AutoCloseable> held = new ArrayList<>();
    private final List<String> contentParts = new ArrayList<>();

    List<RuntimeSpec.Mount> mounts() {
        return mounts;
    }

    /** Extra environment (secrets with env=). */
    List<String> env() {
        return env;
    }

    /**
     * What the cache key needs to know of the mounts before the step runs: which stage image a bind comes from
     * and the inline script's text. (Context binds count by their source path: see docs/BUILD.md.)
     */
    static List<String> cacheParts(List<RunMount> mounts, BuildSession session, java.util.Optional<RunScript.InlineFile> file,
                                   dev.skiff.build.BuildOutput out) {
        List<String> parts = new ArrayList<>();
        for (RunMount m : mounts) {
            String from = m.from() == null ? "" : session.stageOrImageId(m.from(), out);
            parts.add(m.type() + " " + m.target() + " " + m.source() + " " + from + " " + m.readOnly());
        }
        file.ifPresent(f -> parts.add("inline " + f.path() + " " + f.content()));
        return parts;
    }

    static RunMounts prepare(BuildSession session, StepFiles files, List<RunMount> runMounts,
                             java.util.Optional<RunScript.InlineFile> inline, dev.skiff.build.BuildOutput out)
            throws IOException {
        RunMounts r = new RunMounts();
        try {
            r.mounts.add(bindFile("/etc/resolv.conf", files.resolvConf()));
            r.mounts.add(bindFile("/etc/hosts", files.hosts()));
            r.mounts.add(bindFile("/etc/hostname", files.hostname()));
            if (inline.isPresent()) {
                Path script = files.dir().resolve("script");
                Files.writeString(script, inline.get().content(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                r.mounts.add(new RuntimeSpec.Mount(inline.get().path(), "bind", script.toString(),
                        List.of("rbind", "ro")));
            }
            for (RunMount m : runMounts) {
                r.add(session, files, m, out);
            }
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void add(BuildSession session, StepFiles files, RunMount m, dev.skiff.build.BuildOutput out)
            throws IOException {
        switch (m.type()) {
            case CACHE -> {
                if (m.from() != null) {
                    throw new InvalidArgumentException("RUN --mount=type=cache,from=" + m.from()
                            + " is not supported (leave out from= to use a persistent cache directory)");
                }
                String id = m.id() != null ? m.id() : m.target();
                CacheMounts.Lease lease = session.cacheMounts().acquire(id, m.sharing() == null ? "SHARED"
                        : m.sharing().name(), m.mode(), m.uid(), m.gid(), session.cancel());
                held.add(lease);
                mounts.add(new RuntimeSpec.Mount(m.target(), "bind", lease.dir().toString(),
                        m.readOnly() ? List.of("rbind", "ro") : List.of("rbind")));
            }
            case BIND -> {
                Path root;
                if (m.from() == null) {
                    root = session.contextDir();
                } else {
                    Snapshots.Mounted view = session.snapshots().mount(session.stageOrImageId(m.from(), out));
                    held.add(view);
                    root = view.rootfs();
                }
                String source = m.source() == null ? "/" : m.source();
                Path src = RootedPath.resolve(root, source);
                if (!Files.exists(src)) {
                    throw new InvalidArgumentException("RUN --mount=type=bind: source " + source + " not found in "
                            + (m.from() == null ? "the build context" : m.from()));
                }
                if (!m.readOnly() && Files.isRegularFile(src)) {
                    // a writable single file: a private copy, thrown away with the step's files
                    Path copy = files.dir().resolve("bind-" + mounts.size());
                    Files.copy(src, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    mounts.add(new RuntimeSpec.Mount(m.target(), "bind", copy.toString(), List.of("rbind")));
                } else if (m.readOnly()) {
                    mounts.add(new RuntimeSpec.Mount(m.target(), "bind", src.toString(), List.of("rbind", "ro")));
                } else {
                    // writes to a rw bind are thrown away (BuildKit's rule): give the step its own copy-on-write view
                    Snapshots.Mounted scratch = session.snapshots().mountDirectory(src);
                    held.add(scratch);
                    mounts.add(new RuntimeSpec.Mount(m.target(), "bind", scratch.rootfs().toString(), List.of("rbind")));
                }
            }
            case TMPFS -> {
                List<String> opts = new ArrayList<>(List.of("nosuid", "nodev", "mode=1777"));
                if (m.size() != null && m.size() > 0) {
                    opts.add("size=" + m.size());
                }
                mounts.add(new RuntimeSpec.Mount(m.target(), "tmpfs", "tmpfs", opts));
            }
            case SECRET -> {
                String id = m.id() != null ? m.id() : m.target() == null ? null
                        : Path.of(m.target()).getFileName().toString();
                byte[] data = id == null ? null : session.request().secrets().get(id);
                if (data == null) {
                    if (m.required()) {
                        throw new InvalidArgumentException("secret " + id + " not found: give it with --secret id="
                                + id + ",src=FILE");
                    }
                    return;
                }
                if (m.env() != null) {
                    env.add(m.env() + "=" + new String(data, StandardCharsets.UTF_8));
                    if (m.target() == null) {
                        return;
                    }
                }
                Path file = files.secret(id, data, m.mode() == null ? 0400 : m.mode(), m.uid(), m.gid());
                String target = m.target() != null ? m.target() : "/run/secrets/" + id;
                mounts.add(new RuntimeSpec.Mount(target, "bind", file.toString(), List.of("rbind", "ro")));
            }
            case SSH -> throw new InvalidArgumentException("RUN --mount=type=ssh is not supported by this builder"
                    + " (copy a deploy key in with --mount=type=secret instead)");
        }
    }

    private static RuntimeSpec.Mount bindFile(String target, Path source) {
        return new RuntimeSpec.Mount(target, "bind", source.toString(), List.of("rbind", "rprivate"));
    }

    @Override
    public void close() {
        for (AutoCloseable c : held.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // cleanup of one mount must not keep the others
            }
        }
        held.clear();
    }
}
