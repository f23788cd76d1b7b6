package dev.skiff.build.copy;

import dev.skiff.build.context.ContextWalker;
import dev.skiff.build.context.DockerIgnore;
import dev.skiff.errors.InvalidArgumentException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The build context POST /build's {@code remote} parameter names, fetched by the daemon as dockerd does
 * (builder/remotecontext): a Git repository ({@code git://}, {@code git@}, {@code github.com/}, or an http(s) URL
 * ending in ".git", each with an optional {@code #ref:subdir}) is cloned and its tree (or subdirectory) is the
 * context; any other http(s) URL is downloaded, and is the context when it is a tar archive (compressed or not),
 * else the Dockerfile of an otherwise empty context. The result is a tar stream, as a request body would be.
 */
final class RemoteContexts {
    private final RemoteFetcher http;
    private final GitFetcher git;
    private final Path scratch;

    RemoteContexts(RemoteFetcher http, GitFetcher git, Path scratch) {
        this.http = http;
        this.git = git;
        this.scratch = scratch;
    }

    /** dockerd's test (urlutil.IsGitURL). */
    static boolean isGit(String remote) {
        return remote.startsWith("github.com/") || GitSource.matches(remote);
    }

    /** The context as a tar stream; closing it deletes what was fetched. */
    InputStream open(String remote, String dockerfile, RemoteFetcher.Download progress) throws IOException {
        if (isGit(remote)) {
            String address = remote.startsWith("github.com/") ? "https://" + remote : remote;
            String what = "build context " + address;
            GitFetcher.Cloned cloned = git.fetch(what, GitSource.parse(address, what), null, false, scratch);
            boolean ok = false;
            try {
                Path tar = cloned.dir().resolve("context.tar");
                try (OutputStream out = Files.newOutputStream(tar)) {
                    ContextWalker.writeTar(cloned.tree(), DockerIgnore.NONE, out);
                }
                InputStream in = deleting(Files.newInputStream(tar), cloned.dir());
                ok = true;
                return in;
            } finally {
                if (!ok) {
                    GitFetcher.deleteQuietly(cloned.dir());
                }
            }
        }
        if (!RemoteFetcher.isUrl(remote)) {
            throw new InvalidArgumentException("remote " + remote + " is neither a Git repository nor an http(s) URL"
                    + " (send the context as the request body instead)");
        }
        RemoteFetcher.Fetched fetched = http.fetch("build context", remote, null, scratch, progress);
        boolean ok = false;
        try {
            InputStream in;
            if (ArchiveUnpacker.isArchive(fetched.file())) {
                in = deleting(Files.newInputStream(fetched.file()), fetched.file());
            } else {
                // a single file: the Dockerfile of a context that holds nothing else
                Path tar = Files.createTempFile(scratch, "remote-", ".tar");
                try (OutputStream out = Files.newOutputStream(tar);
                     TarArchiveOutputStream t = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
                    t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    TarArchiveEntry e = new TarArchiveEntry(dockerfile);
                    e.setSize(fetched.size());
                    e.setMode(0100644);
                    t.putArchiveEntry(e);
                    Files.copy(fetched.file(), t);
                    t.closeArchiveEntry();
                } catch (IOException | RuntimeException e) {
                    CopyEngine.deleteQuietly(tar);
                    throw e;
                }
                CopyEngine.deleteQuietly(fetched.file());
                in = deleting(Files.newInputStream(tar), tar);
            }
            ok = true;
            return in;
        } finally {
            if (!ok) {
                CopyEngine.deleteQuietly(fetched.file());
            }
        }
    }

    private static InputStream deleting(InputStream in, Path fetched) {
        return new FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    GitFetcher.deleteQuietly(fetched);
                }
            }
        };
    }
}
