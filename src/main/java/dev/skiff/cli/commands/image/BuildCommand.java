package dev.skiff.cli.commands.image;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.client.BodyWriter;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.KeyValues;
import dev.skiff.cli.commands.Query;
import dev.skiff.sys.AtomicFiles;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * docker build (the classic builder's API): the context directory is tarred here with .dockerignore applied,
 * as the docker CLI does, or read as a tar from stdin ("-"); a Dockerfile from stdin ("-f -") or from outside the
 * context travels inside the tar under a private name. Secrets go in Skiff's X-Skiff-Build-Secrets header.
 */
@Command(name = "build", customSynopsis = "[OPTIONS] PATH | URL | -", description = "Build an image from a Dockerfile")
public final class BuildCommand extends ApiCommand {
    @picocli.CommandLine.Mixin
    dev.skiff.cli.commands.ContentTrust contentTrust = new dev.skiff.cli.commands.ContentTrust();

    private static final String SECRETS_HEADER = "X-Skiff-Build-Secrets";

    @Parameters(index = "0", paramLabel = "PATH")
    String context;

    @Option(names = {"-t", "--tag"}, paramLabel = "list", description = "Name and optionally a tag (format: \"name:tag\")")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "string", description = "Name of the Dockerfile (default: \"PATH/Dockerfile\")")
    String file;

    @Option(names = "--build-arg", paramLabel = "list", description = "Set build-time variables")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--target", paramLabel = "string", description = "Set the target build stage to build")
    String target;

    @Option(names = "--label", paramLabel = "list", description = "Set metadata for an image")
    List<String> labels = new ArrayList<>();

    @Option(names = "--no-cache", description = "Do not use cache when building the image")
    boolean noCache;

    @Option(names = "--no-cache-filter", paramLabel = "stringArray", description = "Do not cache specified stages")
    List<String> noCacheFilter = new ArrayList<>();

    @Option(names = "--pull", description = "Always attempt to pull a newer version of the image")
    boolean pull;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the build output and print image ID on success")
    boolean quiet;

    @Option(names = "--iidfile", paramLabel = "string", description = "Write the image ID to the file")
    String iidfile;

    @Option(names = "--network", paramLabel = "string", description = "Set the networking mode for the RUN instructions during build (default: the default bridge; none, host)")
    String network;

    @Option(names = "--secret", paramLabel = "stringArray", description = "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\")")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--progress", paramLabel = "string", description = "Set type of progress output (auto, plain, tty)")
    String progress = "auto";

    @Option(names = "--add-host", paramLabel = "list", description = "Add a custom host-to-IP mapping (\"host:ip\")")
    List<String> addHosts = new ArrayList<>();

    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit")
    String memory;

    @Option(names = "--shm-size", paramLabel = "bytes", description = "Size of \"/dev/shm\"")
    String shmSize;

    @Option(names = "--rm", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Remove intermediate containers after a successful build (default true)")
    boolean rm;

    @Option(names = "--force-rm", description = "Always remove intermediate containers")
    boolean forceRm;

    @Option(names = "--compress", description = "Compress the build context using gzip")
    boolean compress;

    @Option(names = "--cache-from", paramLabel = "strings", description = "Images to consider as cache sources")
    List<String> cacheFrom = new ArrayList<>();

    @Option(names = "--cgroup-parent", paramLabel = "string", description = "Set the parent cgroup for the \"RUN\" instructions during build")
    String cgroupParent;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "int", description = "CPU shares (relative weight)")
    Long cpuShares;

    @Option(names = "--cpu-period", paramLabel = "int", description = "Limit the CPU CFS (Completely Fair Scheduler) period")
    Long cpuPeriod;

    @Option(names = "--cpu-quota", paramLabel = "int", description = "Limit the CPU CFS (Completely Fair Scheduler) quota")
    Long cpuQuota;

    @Option(names = "--cpuset-cpus", paramLabel = "string", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "string", description = "MEMs in which to allow execution (0-3, 0,1)")
    String cpusetMems;

    @Option(names = "--memory-swap", paramLabel = "bytes", description = "Swap limit equal to memory plus swap: -1 to enable unlimited swap")
    String memorySwap;

    @Option(names = "--isolation", paramLabel = "string", description = "Container isolation technology")
    String isolation;

    @Option(names = "--security-opt", paramLabel = "strings", description = "Security options")
    List<String> securityOpt = new ArrayList<>();

    @Option(names = "--squash", description = "Squash newly built layers into a single new layer (needs an experimental daemon)")
    boolean squash;

    @Option(names = "--ulimit", paramLabel = "ulimit", description = "Ulimit options")
    List<String> ulimits = new ArrayList<>();

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    public BuildCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        if (!List.of("auto", "plain", "tty").contains(progress)) {
            throw CliFailure.usage("invalid --progress \"" + progress + "\": want auto, plain or tty");
        }
        boolean stdinContext = context.equals("-");
        boolean stdinDockerfile = "-".equals(file);
        if (stdinContext && stdinDockerfile) {
            throw CliFailure.of("invalid argument: can't use stdin for both build context and dockerfile", 1);
        }
        AtomicReference<IOException> tarFailure = new AtomicReference<>();
        String dockerfileParam;
        BodyWriter body;
        String remote = null;
        if (stdinContext) {
            java.io.BufferedInputStream in = new java.io.BufferedInputStream(ctx.in(), 1 << 16);
            if (isArchive(in)) {
                body = BodyWriter.of(in);
                dockerfileParam = file;
            } else {
                // `skiff build - < Dockerfile`: a Dockerfile and no context, as the docker CLI's GetContextFromReader
                // makes it: a context of that one file, named Dockerfile whatever -f says
                body = BodyWriter.of(new java.io.ByteArrayInputStream(dockerfileOnly(in)));
                dockerfileParam = "Dockerfile";
            }
        } else if (isRemote(context)) {
            // a Git repository or an http(s) URL: the daemon fetches it (POST /build?remote=), -f names the
            // Dockerfile inside it
            if (stdinDockerfile) {
                throw CliFailure.of("invalid argument: can't use stdin for the Dockerfile of a remote context", 1);
            }
            remote = context;
            dockerfileParam = file;
            body = BodyWriter.of(java.io.InputStream.nullInputStream());
        } else {
            Path dir = Path.of(context).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw CliFailure.of("unable to prepare context: path \"" + context + "\" not found", 1);
            }
            String extraName = null;
            byte[] extra = null;
            Path dockerfile = stdinDockerfile ? null : file == null ? dir.resolve("Dockerfile")
                    : Path.of(file).toAbsolutePath().normalize();
            if (stdinDockerfile) {
                extra = ctx.in().readAllBytes();
            } else if (!Files.isRegularFile(dockerfile)) {
                throw CliFailure.of("unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat "
                        + dockerfile + ": no such file or directory", 1);
            } else if (!dockerfile.startsWith(dir)) {
                extra = Files.readAllBytes(dockerfile);
            }
            if (extra != null) {
                extraName = ".dockerfile." + HexFormat.of().formatHex(randomBytes());
                dockerfileParam = extraName;
            } else {
                dockerfileParam = dir.relativize(dockerfile).toString();
            }
            body = contextTar(dir, dockerfileParam, extraName, extra, tarFailure, compress);
        }
        ApiRequest request = ApiRequest.post(query(dockerfileParam).param("remote", remote).build())
                .withBody(body, "application/x-tar");
        Map<String, String> secretMap = secretPayload();
        if (!secretMap.isEmpty()) {
            String encoded = java.util.Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(secretMap));
            request = request.withHeader(SECRETS_HEADER, encoded);
        }
        String imageId;
        try (ApiResponse r = api.stream(request)) {
            if (quiet) {
                // the daemon sends a quiet build's steps only when it fails: shown then, on stderr, as docker does
                java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
                try {
                    imageId = new BuildProgress(new java.io.PrintStream(held, true, java.nio.charset.StandardCharsets.UTF_8),
                            false).render(r.body());
                } catch (CliFailure e) {
                    ctx.err().print(held.toString(java.nio.charset.StandardCharsets.UTF_8));
                    throw e;
                }
            } else {
                boolean tty = progress.equals("tty") || (progress.equals("auto") && ctx.terminal().stdoutIsTerminal());
                imageId = new BuildProgress(ctx.out(), tty).render(r.body());
            }
        } catch (IOException e) {
            if (tarFailure.get() == null) {
                throw e;
            }
            imageId = null; // the upload broke off because the context could not be read: say that
        }
        if (tarFailure.get() != null) {
            throw CliFailure.of("error sending the build context: " + tarFailure.get().getMessage(), 1);
        }
        if (imageId == null) {
            throw CliFailure.of("the daemon ended the build without an image ID", 1);
        }
        if (quiet) {
            ctx.out().println(imageId);
        } else if (tags.isEmpty()) {
            ctx.out().println("Built " + imageId);
        }
        if (iidfile != null) {
            AtomicFiles.write(Path.of(iidfile), imageId.getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    }

    /** A context the daemon fetches: a Git address or an http(s) URL that is not a local directory. */
    static boolean isRemote(String context) {
        boolean url = context.startsWith("http://") || context.startsWith("https://") || context.startsWith("git://")
                || context.startsWith("git@") || context.startsWith("github.com/") || context.startsWith("ssh://");
        return url && !Files.isDirectory(Path.of(context));
    }

    private Query query(String dockerfileParam) throws IOException {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            args.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? System.getenv(a) : a.substring(eq + 1));
        }
        Query q = Query.path("/build").params("t", tags).param("dockerfile", dockerfileParam)
                .param("target", target).param("nocache", noCache).param("pull", pull).param("q", quiet)
                .param("networkmode", network).param("platform", platform).param("rm", rm).param("forcerm", forceRm)
                .param("cgroupparent", cgroupParent).param("cpushares", cpuShares).param("cpuperiod", cpuPeriod)
                .param("cpuquota", cpuQuota).param("cpusetcpus", cpusetCpus).param("cpusetmems", cpusetMems)
                .param("isolation", isolation).param("squash", squash ? Boolean.TRUE : null)
                .param("memswap", memorySwap == null ? null : memorySwap.equals("-1") ? Long.valueOf(-1)
                        : dev.skiff.sys.HumanUnits.ramInBytes(memorySwap))
                .param("memory", memory == null ? null : dev.skiff.sys.HumanUnits.ramInBytes(memory))
                .param("shmsize", shmSize == null ? null : dev.skiff.sys.HumanUnits.ramInBytes(shmSize));
        if (!args.isEmpty()) {
            q.param("buildargs", Json.MAPPER.writeValueAsString(args));
        }
        if (!labels.isEmpty()) {
            q.param("labels", Json.MAPPER.writeValueAsString(KeyValues.parse(labels)));
        }
        if (!addHosts.isEmpty()) {
            q.param("extrahosts", String.join(",", addHosts));
        }
        q.params("nocachefilter", noCacheFilter);
        if (!cacheFrom.isEmpty()) {
            q.param("cachefrom", Json.MAPPER.writeValueAsString(cacheFrom));
        }
        q.params("securityopt", securityOpt); // repeated, as the docker CLI sends it
        if (!ulimits.isEmpty()) {
            List<Map<String, Object>> limits = new ArrayList<>();
            for (String u : ulimits) {
                try {
                    limits.add(dev.skiff.cli.commands.container.HostConfigFlags.parseUlimit(u));
                } catch (IllegalArgumentException e) {
                    throw CliFailure.usage("invalid argument \"" + u + "\" for \"--ulimit\" flag: " + e.getMessage());
                }
            }
            q.param("ulimits", Json.MAPPER.writeValueAsString(limits));
        }
        return q;
    }

    /** --secret id=x[,src=path|,env=VAR] (a bare id reads the variable of that name), base64 by id. */
    private Map<String, String> secretPayload() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : secrets) {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String part : s.split(",")) {
                String[] p = part.split("=", 2);
                kv.put(p[0].strip(), p.length > 1 ? p[1].strip() : "");
            }
            String id = kv.get("id");
            if (id == null || id.isBlank()) {
                throw CliFailure.usage("invalid --secret \"" + s + "\": want id=NAME[,src=FILE]");
            }
            String src = kv.containsKey("src") ? kv.get("src") : kv.get("source");
            byte[] data;
            if (src != null) {
                data = Files.readAllBytes(Path.of(src));
            } else {
                String env = kv.getOrDefault("env", id);
                String value = System.getenv(env);
                if (value == null) {
                    throw CliFailure.of("secret " + id + ": give src=FILE, or set the environment variable " + env, 1);
                }
                data = value.getBytes(StandardCharsets.UTF_8);
            }
            out.put(id, java.util.Base64.getEncoder().encodeToString(data));
        }
        return out;
    }

    /**
     * The context tar, written straight into the upload as it is sent (no pipe between a tarring thread and the
     * socket: on a fresh JVM that hand-off doubled the time the tar took). A failure to read the context is kept
     * in {@code failure} for the user's message.
     */
    private static BodyWriter contextTar(Path dir, String dockerfile, String extraName, byte[] extra,
                                         AtomicReference<IOException> failure, boolean gzip) throws IOException {
        IgnorePatterns ignore = IgnorePatterns.read(dir.resolve(".dockerignore"));
        return out -> {
            try {
                java.util.zip.GZIPOutputStream zipped = gzip ? new java.util.zip.GZIPOutputStream(out, 1 << 16) : null;
                ContextTar.write(dir, ignore, List.of(dockerfile, ".dockerignore"), extraName, extra,
                        zipped == null ? out : zipped);
                if (zipped != null) {
                    zipped.finish();
                }
            } catch (IOException e) {
                failure.set(e);
                throw e;
            }
        };
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[10];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    /** Whether the stream starts as a tar (ustar) or a compressed stream would; it is reset to its start. */
    static boolean isArchive(java.io.BufferedInputStream in) throws IOException {
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return true; // gzip
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return true; // bzip2
        }
        if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) {
            return true; // xz
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return true; // zstd
        }
        return head.length == 512 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    /** A tar holding {@code in} (at most 16 MiB, a Dockerfile's size) as "Dockerfile". */
    private static byte[] dockerfileOnly(java.io.InputStream in) throws IOException {
        byte[] dockerfile = in.readNBytes((16 << 20) + 1);
        if (dockerfile.length > 16 << 20) {
            throw CliFailure.of("the Dockerfile on stdin is larger than 16 MiB (send a context as a tar instead)", 1);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("Dockerfile");
            entry.setSize(dockerfile.length);
            entry.setMode(0100600);
            tar.putArchiveEntry(entry);
            tar.write(dockerfile);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
