package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static dev.skiff.it.Cli.skiff;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry client against Debian's docker-registry on loopback: the docker CLI and the skiff CLI push from one
 * daemon and pull into another, which starts empty so every pull really fetches.
 */
class RegistryClientIT {
    private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: \\d+");
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    static SkiffdProcess pusher;
    static SkiffdProcess puller;
    static DockerRegistry registry;
    static String reg;
    static byte[] busyboxTar;
    static byte[] busyboxGz;

    @BeforeAll
    static void start() throws Exception {
        pusher = SkiffdProcess.startWithBusybox();
        puller = SkiffdProcess.start();
        registry = DockerRegistry.start();
        reg = registry.host();
        busyboxTar = Cli.busyboxRootfs();
        busyboxGz = RegistryWriter.gzip(busyboxTar);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {pusher, puller, registry}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static String pushedDigest(String out) {
        Matcher m = DIGEST.matcher(out);
        assertThat(m.find()).as("a pushed digest in: " + out).isTrue();
        return m.group(1);
    }

    @Test
    void dockerCli_pushThenPullIntoAnotherDaemonAndRun() {
        // an image of its own (other tests pull busybox under other names into the same daemon): the last
        // rmi below must be able to delete it
        String box = docker(pusher, "create", "busybox", "true").assertOk().out();
        docker(pusher, "commit", "--change", "LABEL only=bb", box, reg + "/bb:latest").assertOk();
        docker(pusher, "rm", box).assertOk();
        Cli.Result push = docker(pusher, "push", reg + "/bb:latest").assertOk();
        String digest = pushedDigest(push.stdout());
        assertThat(push.stdout()).contains("The push refers to repository [" + reg + "/bb]")
                .containsAnyOf("Pushed", "Mounted from", "Layer already exists");

        Cli.Result pull = docker(puller, "pull", reg + "/bb:latest").assertOk();
        assertThat(pull.stdout()).containsAnyOf("Pull complete", "Already exists").contains("Digest: " + digest)
                .contains("Status: Downloaded newer image for " + reg + "/bb:latest")
                .contains("latest: Pulling from bb"); // the repository's path, without its registry, as dockerd
        // pulled by digest under another name: the image is here already, so no layer is mentioned (dockerd), and
        // docker images REPO lists it by its digest
        Cli.Result byDigest = docker(puller, "pull", reg + "/bb@" + digest).assertOk();
        assertThat(byDigest.stdout()).startsWith(reg + "/bb@" + digest + ": Pulling from bb")
                .doesNotContain("Already exists");
        assertThat(docker(puller, "images", "--digests", "--format", "{{.Tag}} {{.Digest}}", reg + "/bb")
                .assertOk().out()).contains(digest);
        // a push of what is not here: the first line, then the error as the push's own output
        Cli.Result missing = docker(pusher, "push", reg + "/nothere:1");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stdout()).contains("The push refers to repository [" + reg + "/nothere]");
        assertThat(missing.stderr()).contains("An image does not exist locally with the tag: " + reg + "/nothere")
                .doesNotContain("Error response from daemon");
        assertThat(docker(puller, "run", "--rm", reg + "/bb", "echo", "pulled").assertOk().out()).isEqualTo("pulled");
        assertThat(docker(puller, "images", "--digests", "--format", "{{.Repository}} {{.Digest}}").assertOk().out())
                .contains(reg + "/bb " + digest);
        assertThat(docker(puller, "image", "inspect", "-f", "{{json .RepoDigests}}", reg + "/bb").assertOk().out())
                .contains(reg + "/bb@" + digest);
        assertThat(docker(puller, "pull", reg + "/bb:latest").assertOk().stdout())
                .contains("Status: Image is up to date for " + reg + "/bb:latest");
        // Pushing again skips what the registry has.
        assertThat(docker(pusher, "push", reg + "/bb:latest").assertOk().stdout()).contains("Layer already exists");
        // docker search of a registry without the v1 search API (this one, and Skiff's own) reads its catalog
        assertThat(docker(pusher, "search", "--format", "{{.Name}}", reg + "/bb").assertOk().out().lines())
                .contains(reg + "/bb");
        assertThat(docker(pusher, "search", "--limit", "500", reg + "/bb").stderr())
                .contains("limit 500 is outside the range of [1, 100]");
        assertThat(skiff(pusher, "search", reg + "/bb").assertOk().out())
                .isEqualTo(docker(pusher, "search", reg + "/bb").assertOk().out());
        // pull --all-tags reads the repository's tag list
        assertThat(docker(puller, "pull", "-a", reg + "/bb").assertOk().stdout()).contains(reg + "/bb:latest");
        // Removing the last tag takes the repository's digests and the image with it, as in Docker.
        assertThat(docker(puller, "rmi", reg + "/bb:latest").assertOk().stdout())
                .contains("Untagged: " + reg + "/bb@" + digest).contains("Deleted: ");
    }

    @Test
    void build_pullsAFromImageThatIsNotLocal_andCopyFromAnImage(@org.junit.jupiter.api.io.TempDir Path tmp) {
        String box = docker(pusher, "create", "busybox", "true").assertOk().out();
        docker(pusher, "commit", "--change", "LABEL only=buildbase", box, reg + "/buildbase:1").assertOk();
        docker(pusher, "rm", box).assertOk();
        docker(pusher, "push", reg + "/buildbase:1").assertOk();
        Path ctx = BuildContexts.context(tmp, java.util.Map.of("Dockerfile", "FROM " + reg + "/buildbase:1\n"
                + "COPY --from=" + reg + "/buildbase:1 /bin/busybox /copied\n"
                + "RUN echo built > /built\nCMD [\"cat\", \"/built\"]\n"));

        // the puller has no such image: the build pulls it (once, though FROM and COPY --from both name it)
        Cli.Result build = BuildContexts.dockerBuild(puller, ctx, "-t", "frompulled").assertOk();
        assertThat(build.stdout()).contains("Status: Downloaded newer image for " + reg + "/buildbase:1")
                .contains("Successfully tagged frompulled:latest");
        assertThat(BuildContexts.count(build.stdout(), "Pulling from")).isEqualTo(1);
        assertThat(BuildContexts.output(puller, "frompulled").out()).isEqualTo("built");
        assertThat(docker(puller, "image", "inspect", "-f", "{{index .Config.Labels \"only\"}}", reg + "/buildbase:1")
                .assertOk().out()).isEqualTo("buildbase");

        // --pull asks the registry again even though the image is local now
        assertThat(BuildContexts.dockerBuild(puller, ctx, "--pull", "-t", "frompulled").assertOk().stdout())
                .contains("Status: Image is up to date for " + reg + "/buildbase:1");

        // a FROM image that exists nowhere: Docker's pull error, and no image is left behind
        Path missing = BuildContexts.context(tmp, java.util.Map.of("Dockerfile", "FROM " + reg + "/nosuch:1\nRUN true\n"));
        Cli.Result failed = BuildContexts.dockerBuild(puller, missing, "-t", "neverbuilt");
        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.stdout() + failed.stderr()).contains("nosuch");
        assertThat(docker(puller, "images", "-q", "neverbuilt").assertOk().out()).isEmpty();
    }

    @Test
    void skiffCli_pushGivesTheSameDigestAsDocker_andPullByDigest() {
        docker(pusher, "tag", "busybox", reg + "/same/a:v1").assertOk();
        docker(pusher, "tag", "busybox", reg + "/same/b:v1").assertOk();
        String viaDocker = pushedDigest(docker(pusher, "push", reg + "/same/a:v1").assertOk().stdout());
        Cli.Result viaSkiff = skiff(pusher, "push", reg + "/same/b:v1").assertOk();
        assertThat(pushedDigest(viaSkiff.stdout())).isEqualTo(viaDocker);
        assertThat(viaSkiff.stdout()).contains("Mounted from same/a");
        Cli.Result copy = Cli.run(null, List.of("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + reg + "/same/a:v1", "docker://" + reg + "/same/c:v1"), null).assertOk();
        assertThat(copy.exitCode()).isZero();
        String inspected = Cli.run(null, List.of("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                "docker://" + reg + "/same/c:v1"), null).assertOk().out();
        assertThat(inspected).isEqualTo(viaDocker);

        Cli.Result pull = skiff(puller, "pull", reg + "/same/c@" + viaDocker).assertOk();
        assertThat(pull.stdout()).contains("Digest: " + viaDocker).endsWith(reg + "/same/c@" + viaDocker + "\n");
        assertThat(skiff(puller, "images", "--digests").assertOk().stdout()).contains(viaDocker);
        assertThat(docker(puller, "run", "--rm", reg + "/same/c@" + viaDocker, "true").exitCode()).isZero();
    }

    @Test
    void index_picksAmd64_orTheRequestedPlatform() throws Exception {
        RegistryWriter w = new RegistryWriter(reg);
        String diffId = RegistryWriter.sha256(busyboxTar);
        w.blob("multi", busyboxGz);
        byte[] amd = RegistryWriter.config("amd64", "PLAT=amd64", diffId);
        byte[] arm = RegistryWriter.config("arm64", "PLAT=arm64", diffId);
        w.blob("multi", amd);
        w.blob("multi", arm);
        String layer = RegistryWriter.descriptor(GZIP_LAYER, busyboxGz);
        String mAmd = manifest(RegistryWriter.descriptor("application/vnd.oci.image.config.v1+json", amd), layer);
        String mArm = manifest(RegistryWriter.descriptor("application/vnd.oci.image.config.v1+json", arm), layer);
        String dAmd = w.manifest("multi", RegistryWriter.sha256(mAmd.getBytes(StandardCharsets.UTF_8)), OCI_MANIFEST, mAmd);
        String dArm = w.manifest("multi", RegistryWriter.sha256(mArm.getBytes(StandardCharsets.UTF_8)), OCI_MANIFEST, mArm);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"size\":" + mArm.length() + ",\"digest\":\"" + dArm
                + "\",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}},"
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"size\":" + mAmd.length() + ",\"digest\":\"" + dAmd
                + "\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
        String indexDigest = w.manifest("multi", "latest", "application/vnd.oci.image.index.v1+json", index);

        // GET /distribution/{name}/json describes it without pulling: the index, and its entries' platforms
        com.fasterxml.jackson.databind.JsonNode dist = distribution(puller, reg + "/multi:latest");
        assertThat(dist.path("Descriptor").path("digest").asText()).isEqualTo(indexDigest);
        assertThat(dist.path("Descriptor").path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(dist.path("Descriptor").path("size").asLong()).isEqualTo(index.length());
        assertThat(dist.path("Platforms").toString()).contains("\"architecture\":\"arm64\"")
                .contains("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        assertThat(docker(puller, "images", "-q", reg + "/multi").assertOk().out()).isEmpty();
        com.fasterxml.jackson.databind.JsonNode one = distribution(puller, reg + "/multi@" + dAmd);
        assertThat(one.path("Descriptor").path("mediaType").asText()).isEqualTo(OCI_MANIFEST);
        assertThat(one.path("Platforms").toString()).isEqualTo("[{\"architecture\":\"amd64\",\"os\":\"linux\"}]");

        Cli.Result pull = docker(puller, "pull", reg + "/multi:latest").assertOk();
        assertThat(pull.stdout()).contains("Digest: " + indexDigest);
        assertThat(docker(puller, "image", "inspect", "-f", "{{.Architecture}} {{.Id}}", reg + "/multi").assertOk().out())
                .isEqualTo("amd64 " + RegistryWriter.sha256(amd));
        skiff(puller, "pull", "--platform", "linux/arm64", reg + "/multi:latest").assertOk();
        assertThat(docker(puller, "image", "inspect", "-f", "{{.Architecture}}", reg + "/multi").assertOk().out())
                .isEqualTo("arm64");
    }

    /** GET /distribution/{name}/json on a daemon's socket. */
    private static com.fasterxml.jackson.databind.JsonNode distribution(SkiffdProcess d, String name) throws Exception {
        Cli.Result r = Cli.run(null, List.of("curl", "-sf", "--unix-socket", d.socket().toString(),
                "http://skiff/v1.50/distribution/" + name + "/json"), null).assertOk();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
    }

    private static String manifest(String config, String... layers) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":["
                + String.join(",", layers) + "]}";
    }

    @Test
    void zstdAndUncompressedLayers_arePulledAndUnpacked() throws Exception {
        RegistryWriter w = new RegistryWriter(reg);
        byte[] zTar = RegistryWriter.tarWith("z.txt", "zstd\n".getBytes(StandardCharsets.UTF_8));
        byte[] zstd = com.github.luben.zstd.Zstd.compress(zTar);
        byte[] plain = RegistryWriter.tarWith("u.txt", "plain\n".getBytes(StandardCharsets.UTF_8));
        byte[] config = RegistryWriter.config("amd64", "X=1", RegistryWriter.sha256(busyboxTar),
                RegistryWriter.sha256(zTar), RegistryWriter.sha256(plain));
        for (byte[] b : List.of(busyboxGz, zstd, plain, config)) {
            w.blob("layers", b);
        }
        w.manifest("layers", "latest", OCI_MANIFEST, manifest(
                RegistryWriter.descriptor("application/vnd.oci.image.config.v1+json", config),
                RegistryWriter.descriptor(GZIP_LAYER, busyboxGz),
                RegistryWriter.descriptor("application/vnd.oci.image.layer.v1.tar+zstd", zstd),
                RegistryWriter.descriptor("application/vnd.oci.image.layer.v1.tar", plain)));
        docker(puller, "pull", reg + "/layers").assertOk();
        assertThat(docker(puller, "run", "--rm", reg + "/layers", "cat", "/z.txt", "/u.txt").assertOk().out())
                .isEqualTo("zstd\nplain");
    }

    @Test
    void foreignLayer_isRefusedWithAClearError() throws Exception {
        RegistryWriter w = new RegistryWriter(reg);
        byte[] config = RegistryWriter.config("amd64", "X=1", RegistryWriter.sha256(busyboxTar));
        w.blob("foreign", config);
        w.blob("foreign", busyboxGz);
        String layer = "{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"size\":"
                + busyboxGz.length + ",\"digest\":\"" + RegistryWriter.sha256(busyboxGz)
                + "\",\"urls\":[\"https://example.invalid/layer\"]}";
        w.manifest("foreign", "latest", DOCKER_MANIFEST, "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_MANIFEST
                + "\",\"config\":" + RegistryWriter.descriptor("application/vnd.docker.container.image.v1+json", config)
                + ",\"layers\":[" + layer + "]}");
        Cli.Result pull = docker(puller, "pull", reg + "/foreign");
        assertThat(pull.exitCode()).isNotZero();
        assertThat(pull.stderr()).contains("foreign (non-distributable) layer");
        assertThat(docker(puller, "images", "-q", reg + "/foreign").out()).isEmpty();
    }

    @Test
    void twoConcurrentPulls_fetchEachBlobOnce() throws Exception {
        RegistryWriter w = new RegistryWriter(reg);
        byte[][] tars = new byte[3][];
        String[] blobs = new String[3];
        for (int i = 0; i < 3; i++) {
            byte[] junk = new byte[3 << 20];
            new java.util.Random(i + 42).nextBytes(junk);
            tars[i] = RegistryWriter.tarWith("junk" + i, junk);
            blobs[i] = w.blob("twice", RegistryWriter.gzip(tars[i]));
        }
        byte[] config = RegistryWriter.config("amd64", "X=2", RegistryWriter.sha256(busyboxTar),
                RegistryWriter.sha256(tars[0]), RegistryWriter.sha256(tars[1]), RegistryWriter.sha256(tars[2]));
        w.blob("twice", config);
        w.blob("twice", busyboxGz);
        StringBuilder layers = new StringBuilder(RegistryWriter.descriptor(GZIP_LAYER, busyboxGz));
        for (int i = 0; i < 3; i++) {
            layers.append(",").append(RegistryWriter.descriptor(GZIP_LAYER, RegistryWriter.gzip(tars[i])));
        }
        w.manifest("twice", "latest", OCI_MANIFEST, manifest(
                RegistryWriter.descriptor("application/vnd.oci.image.config.v1+json", config), layers.toString()));
        CompletableFuture<Cli.Result> a = CompletableFuture.supplyAsync(() -> docker(puller, "pull", reg + "/twice"));
        CompletableFuture<Cli.Result> b = CompletableFuture.supplyAsync(() -> skiff(puller, "pull", reg + "/twice"));
        a.join().assertOk();
        b.join().assertOk();
        for (String blob : blobs) {
            assertThat(registry.count("GET /v2/twice/blobs/" + blob)).as("GETs of " + blob).isEqualTo(1);
        }
        assertThat(docker(puller, "run", "--rm", reg + "/twice", "ls", "/junk2").assertOk().out()).isEqualTo("/junk2");
    }

    @Test
    void unreachableRegistry_failsFastNamingTheHost() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        Cli.Result pull = docker(puller, "pull", "127.0.0.1:" + port + "/nothing:here");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(pull.exitCode()).isNotZero();
        assertThat(pull.stderr()).contains("cannot reach registry 127.0.0.1:" + port);
        assertThat(ms).isLessThan(5000);
    }

    @Test
    void garbageBlobs_areRefusedAndNothingIsStored() throws Exception {
        RegistryWriter w = new RegistryWriter(reg);
        byte[] junk = new byte[1 << 20];
        new java.util.Random(99).nextBytes(junk);
        byte[] tar = RegistryWriter.tarWith("junk", junk);
        byte[] gz = RegistryWriter.gzip(tar);
        String layerDigest = w.blob("garbage", gz);
        byte[] config = RegistryWriter.config("amd64", "X=3", RegistryWriter.sha256(tar));
        String configDigest = w.blob("garbage", config);
        w.manifest("garbage", "latest", OCI_MANIFEST, manifest(
                RegistryWriter.descriptor("application/vnd.oci.image.config.v1+json", config),
                RegistryWriter.descriptor(GZIP_LAYER, gz)));
        try (RegistryProxy proxy = new RegistryProxy(registry, RegistryProxy.Mode.GARBAGE_BLOBS)) {
            Cli.Result pull = docker(puller, "pull", proxy.host() + "/garbage");
            assertThat(pull.exitCode()).isNotZero();
            assertThat(pull.stderr()).contains("failed verification");
            assertThat(docker(puller, "images", "-q", proxy.host() + "/garbage").out()).isEmpty();
        }
        Path blobs = puller.dir().resolve("data/content/blobs/sha256");
        assertThat(Files.exists(blobs.resolve(layerDigest.substring(7)))).isFalse();
        assertThat(Files.exists(blobs.resolve(configDigest.substring(7)))).isFalse();
    }

    @Test
    void basicAuth_loginPushPullLogout() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry, RegistryProxy.Mode.BASIC)) {
            String ref = proxy.host() + "/private:v1";
            docker(pusher, "tag", "busybox", ref).assertOk();
            Cli.Result denied = docker(pusher, "push", ref);
            assertThat(denied.exitCode()).isNotZero();
            Cli.Result wrong = docker(pusher, "login", "-u", RegistryProxy.USER, "-p", "nope", proxy.host());
            assertThat(wrong.exitCode()).isNotZero();
            assertThat(wrong.stderr()).contains("401");
            assertThat(docker(pusher, "login", "-u", RegistryProxy.USER, "-p", RegistryProxy.PASSWORD, proxy.host())
                    .assertOk().stdout()).contains("Login Succeeded");
            assertThat(docker(pusher, "push", ref).assertOk().stdout()).contains("v1: digest: sha256:");

            assertThat(Cli.skiffWithInput(puller, (RegistryProxy.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8),
                    "login", "-u", RegistryProxy.USER, "--password-stdin", proxy.host()).assertOk().stdout())
                    .contains("Login Succeeded");
            String config = Files.readString(puller.dir().resolve("docker-config/config.json"));
            assertThat(config).contains(proxy.host()).contains(java.util.Base64.getEncoder().encodeToString(
                    (RegistryProxy.USER + ":" + RegistryProxy.PASSWORD).getBytes(StandardCharsets.UTF_8)));
            skiff(puller, "pull", ref).assertOk();
            assertThat(skiff(puller, "logout", proxy.host()).assertOk().stdout())
                    .contains("Removing login credentials for " + proxy.host());
            assertThat(Files.readString(puller.dir().resolve("docker-config/config.json"))).doesNotContain("auth\"");
            docker(puller, "rmi", ref).assertOk();
            assertThat(skiff(puller, "pull", ref).exitCode()).isNotZero();
        }
    }

    @Test
    void tokenAuth_fetchesAndReusesBearerTokens() throws Exception {
        try (RegistryProxy proxy = new RegistryProxy(registry, RegistryProxy.Mode.BEARER)) {
            String ref = proxy.host() + "/tokened:v1";
            docker(pusher, "tag", "busybox", ref).assertOk();
            assertThat(skiff(pusher, "push", ref).exitCode()).isNotZero();
            skiff(pusher, "login", "-u", RegistryProxy.USER, "-p", RegistryProxy.PASSWORD, proxy.host()).assertOk();
            int before = proxy.tokenRequests.get();
            skiff(pusher, "push", ref).assertOk();
            assertThat(proxy.tokenRequests.get() - before).as("token requests for one push").isLessThanOrEqualTo(3);
            skiff(puller, "login", "-u", RegistryProxy.USER, "-p", RegistryProxy.PASSWORD, proxy.host()).assertOk();
            docker(puller, "pull", ref).assertOk();
            assertThat(docker(puller, "run", "--rm", ref, "echo", "tokened").assertOk().out()).isEqualTo("tokened");
        }
    }

    @Test
    void runPullsAMissingImage_unlessToldNever() {
        docker(pusher, "tag", "busybox", reg + "/runme:latest").assertOk();
        docker(pusher, "push", reg + "/runme:latest").assertOk();
        Cli.Result never = skiff(puller, "run", "--rm", "--pull", "never", reg + "/runme", "true");
        assertThat(never.exitCode()).isNotZero();
        Cli.Result run = skiff(puller, "run", "--rm", reg + "/runme", "echo", "fresh").assertOk();
        assertThat(run.stdout().strip()).isEqualTo("fresh");
        assertThat(run.stderr()).contains("Unable to find image '" + reg + "/runme:latest' locally")
                .contains("Status: Downloaded newer image for " + reg + "/runme:latest");
        Cli.Result again = docker(puller, "run", "--rm", "--pull", "always", reg + "/runme", "echo", "again").assertOk();
        assertThat(again.stdout().strip()).isEqualTo("again");
    }
}
