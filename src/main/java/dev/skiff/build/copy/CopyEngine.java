package dev.skiff.build.copy;

import dev.skiff.build.context.FileHashCache;
import dev.skiff.build.context.DockerIgnore;
import dev.skiff.build.copy.CopyItem.Entry;
import dev.skiff.build.copy.CopyItem.Kind;
import dev.skiff.build.dockerfile.Heredoc;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.image.Progress;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The COPY/ADD file engine. {@link #prepare} matches the sources, fetches URLs and lists every entry the
 * instruction reads; the {@link PreparedCopy} it returns gives the content digest the build cache keys on
 * and then applies the copy to a destination rootfs (an overlay merged directory).
 *
 * <p>One engine serves many builds and threads: it holds only the HTTP client and the per-file hash cache.
 */
public final class CopyEngine {
    /** The largest file ADD downloads. */
    public static final long MAX_DOWNLOAD = 8L << 30;

    private static final int REMEMBERED_DIGESTS = 64;

    private final RemoteFetcher fetcher;
    private final GitFetcher git;
    private final RemoteContexts remotes;
    private final FileHashCache hashes;
    private final Path scratch;
    private final java.util.Map<ContextCopy, String> contextDigests = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<ContextCopy, String> eldest) {
            return size() > REMEMBERED_DIGESTS;
        }
    };

    /**
     * A COPY from a build context: the context as a COPY sees it ({@code BuildSession.ContextFiles.identity()}: its
     * tree's signature and where its ignore rules come from) and the request. Two equal ones have the same digest,
     * which is a function of the files, the ignore rules and the request alone. Not for ADD, whose URLs are fetched
     * anew.
     */
    public record ContextCopy(String context, CopyRequest request) {
        public ContextCopy {
            if (request.add()) {
                throw new IllegalArgumentException("ADD digests are not remembered: its URLs are fetched anew");
            }
        }
    }

    /** {@code scratch} holds downloads until the prepared copy is closed. */
    public CopyEngine(Path scratch, HttpClient http, FileHashCache hashes) {
        this(scratch, () -> http, hashes);
    }

    /**
     * The HTTP client for ADD of a URL is made at the first such ADD: making one initializes the JDK's TLS stack
     * (some 400 classes, a few MiB a daemon would otherwise carry from its start though most builds never ADD a URL).
     */
    public CopyEngine(Path scratch) {
        this(scratch, memoized(() -> HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build()), new FileHashCache());
    }

    private CopyEngine(Path scratch, java.util.function.Supplier<HttpClient> http, FileHashCache hashes) {
        this.scratch = scratch;
        this.fetcher = new RemoteFetcher(http, MAX_DOWNLOAD);
        this.git = new GitFetcher("git", MAX_DOWNLOAD);
        this.remotes = new RemoteContexts(fetcher, git, scratch);
        this.hashes = hashes;
    }

    private static <T> java.util.function.Supplier<T> memoized(java.util.function.Supplier<T> make) {
        return new java.util.function.Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

    /**
     * The per-file hash cache: pass it to {@code ContextArchive.extract} so a context's files are hashed
     * while they are unpacked, and keep one engine per daemon so rebuilds of a directory reuse hashes.
     */
    public FileHashCache hashes() {
        return hashes;
    }

    /**
     * What {@link #rememberDigest} was given for an equal {@code copy} before (the builder gives the history's
     * "file:HEX", "dir:HEX" or "multi:HEX" of {@link PreparedCopy#digest}), if this engine still remembers it: a
     * rebuild over an unchanged context need not list and stat the files of its COPY again (~6 ms for the bench's
     * 500 files, every one of them after the upload, while the client waits).
     */
    public java.util.Optional<String> rememberedDigest(ContextCopy copy) {
        synchronized (contextDigests) {
            return java.util.Optional.ofNullable(contextDigests.get(copy));
        }
    }

    /** Remembers the digest of {@code copy} (the last {@value #REMEMBERED_DIGESTS} are kept). */
    public void rememberDigest(ContextCopy copy, String digest) {
        synchronized (contextDigests) {
            contextDigests.put(copy, digest);
        }
    }

    /**
     * Resolves {@code request} against {@code source}: every source must exist (and not be excluded by
     * .dockerignore); URLs are downloaded and checked against --checksum; --chmod is validated.
     *
     * @throws InvalidArgumentException naming the instruction and the source that is missing or bad
     */
    public PreparedCopy prepare(CopyRequest request, CopySource source) throws IOException {
        return prepare(request, source, Progress.NONE);
    }

    /**
     * As {@link #prepare(CopyRequest, CopySource)}, telling {@code progress} how an ADD's downloads go as the classic
     * builder does (id "", status "Downloading", bytes so far and the size when known).
     */
    public PreparedCopy prepare(CopyRequest request, CopySource source, Progress progress) throws IOException {
        String instruction = request.add() ? "ADD" : "COPY";
        Chmod chmod = Chmod.parse(request.chmod());
        if (request.sourceCount() > 1 && !request.destNamesDirectory()) {
            throw new InvalidArgumentException("When using " + instruction
                    + " with more than one source file, the destination must be a directory and end with a /");
        }
        if (request.checksum() != null
                && request.sources().stream().anyMatch(s -> !RemoteFetcher.isUrl(s) && !GitSource.matches(s))) {
            throw new InvalidArgumentException("ADD --checksum is only supported for HTTP(S) and Git sources, not local files");
        }
        List<CopyItem> items = new ArrayList<>();
        PreparedCopy prepared = new PreparedCopy(request, source, items, chmod, hashes);
        try {
            SourceResolver resolver = new SourceResolver(source, request.exclude(), request.parents());
            for (String s : request.sources()) {
                if (request.add() && GitSource.matches(s)) {
                    // the repository's tree is read like a directory of the context: its contents go to the
                    // destination, files 0:0 (unless --chown), --exclude applies
                    GitFetcher.Cloned cloned = git.fetch("ADD " + s, GitSource.parse(s, "ADD " + s), request.checksum(),
                            request.keepGitDir(), scratch);
                    prepared.cloned(cloned.dir());
                    CopySource repo = new CopySource(cloned.tree(), DockerIgnore.NONE, "Git repository " + s, false);
                    for (CopyItem item : new SourceResolver(repo, request.exclude(), false).resolve(".", instruction)) {
                        items.add(new CopyItem(item.kind(), s, item.path(), item.baseName(), "", item.entries(),
                                null, null));
                    }
                    continue;
                }
                if (request.add() && RemoteFetcher.isUrl(s)) {
                    RemoteFetcher.Fetched f = fetcher.fetch("ADD", s, request.checksum(), scratch,
                            (current, total) -> progress.update("", "Downloading", current, total));
                    prepared.downloaded(f.file());
                    boolean unpack = Boolean.TRUE.equals(request.unpack()) && ArchiveUnpacker.isArchive(f.file());
                    if (f.name().isEmpty() && !unpack && request.destNamesDirectory()) {
                        throw new InvalidArgumentException("ADD " + s + ": cannot determine a file name from the URL "
                                + "(give the destination as a file path)");
                    }
                    items.add(new CopyItem(unpack ? Kind.ARCHIVE : Kind.URL, s, f.file(), f.name(), "", List.of(), null, f));
                    continue;
                }
                for (CopyItem item : resolver.resolve(s, instruction)) {
                    boolean unpack = request.add() && !Boolean.FALSE.equals(request.unpack()) && item.kind() == Kind.FILE
                            && item.entries().getFirst().attrs().isRegularFile() && ArchiveUnpacker.isArchive(item.path());
                    items.add(unpack ? new CopyItem(Kind.ARCHIVE, item.label(), item.path(), item.baseName(), "",
                            item.entries(), null, null) : item);
                }
            }
            for (Heredoc doc : request.inline()) {
                items.add(new CopyItem(Kind.INLINE, "<<" + doc.name(), null, doc.name(), "", List.<Entry>of(), doc, null));
            }
            return prepared;
        } catch (IOException | RuntimeException e) {
            prepared.close();
            throw e;
        }
    }

    /**
     * The build context POST /build's {@code remote} names (a Git repository, or an http(s) tarball or Dockerfile:
     * see {@link RemoteContexts}) as a tar stream; closing it deletes what was fetched.
     */
    public java.io.InputStream remoteContext(String remote, String dockerfile) throws IOException {
        return remoteContext(remote, dockerfile, Progress.NONE);
    }

    /**
     * As {@link #remoteContext(String, String)}, telling {@code progress} how a URL's download goes as dockerd does
     * (id "Downloading context", the URL as status); a clone reports nothing, as dockerd's.
     */
    public java.io.InputStream remoteContext(String remote, String dockerfile, Progress progress) throws IOException {
        return remotes.open(remote, dockerfile,
                (current, total) -> progress.update("Downloading context", remote, current, total));
    }

    /** Whether ADD reads {@code source} from a Git repository (see {@link GitSource}). */
    public static boolean isGitSource(String source) {
        return GitSource.matches(source);
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover download in the scratch directory is removed with the build's scratch space
        }
    }
}
