package dev.skiff.it;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real skiffd for integration tests: its own data root, exec root and socket in a temp directory,
 * started as a separate JVM (so a test can kill -9 it), stopped and cleaned up by {@link #close()}.
 */
public final class SkiffdProcess implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    /** The default bridge's device and subnet: unique per daemon, so concurrent test daemons never share them. */
    private final String bridge;
    private final String bip;
    private Process process;
    private final Map<String, String> environment = new java.util.HashMap<>();

    private SkiffdProcess(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("run/skiff.sock");
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        this.bridge = "skt" + Integer.toHexString(0x100000 + r.nextInt(0xf00000));
        this.bip = TestNetworks.freeSubnet(24).replaceFirst("\\.0/24$", ".1/24");
    }

    /** Starts a daemon in a fresh temp directory and waits until it answers /_ping. */
    public static SkiffdProcess start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("skiff-it-");
        SkiffdProcess d = new SkiffdProcess(dir);
        d.launch();
        return d;
    }

    /**
     * The usual fixture of the integration tests: checks the host has the parts (skips, or fails in CI),
     * starts a daemon and imports busybox:latest made by bin/busybox-rootfs through the docker CLI.
     */
    public static SkiffdProcess startWithBusybox() throws IOException, InterruptedException {
        Requirements.assumeContainerHost();
        SkiffdProcess d = start();
        try {
            Cli.dockerWithInput(d, Cli.busyboxRootfs(), "import", "-", "busybox:latest").assertOk();
            return d;
        } catch (RuntimeException | Error e) {
            try {
                d.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * {@link #startWithBusybox()} with the data root on a tmpfs of {@code mib} MiB of its own (grow it with
     * {@link #resizeDataRoot}), for what a full filesystem does. {@link #close()} unmounts it with the rest.
     */
    public static SkiffdProcess startWithBusyboxOnTmpfs(int mib) throws IOException, InterruptedException {
        Requirements.assumeContainerHost();
        Path dir = Files.createTempDirectory("skiff-it-");
        SkiffdProcess d = new SkiffdProcess(dir);
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            run("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", data.toString());
            d.launch();
            Cli.dockerWithInput(d, Cli.busyboxRootfs(), "import", "-", "busybox:latest").assertOk();
            return d;
        } catch (IOException | RuntimeException | Error e) {
            try {
                d.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Gives the tmpfs data root of {@link #startWithBusyboxOnTmpfs} a new size. */
    public void resizeDataRoot(int mib) throws IOException, InterruptedException {
        run("mount", "-o", "remount,size=" + mib + "m", dir.resolve("data").toString());
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Starts the daemon again on the same roots (after {@link #kill9()} or {@link #stop()}). */
    public void launch() throws IOException, InterruptedException {
        // setsid: the daemon leads its own session, as systemd starts a service; a daemon that opened a terminal
        // without O_NOCTTY then took it as its controlling terminal and died of its hangup (docker exec -t). Not a
        // process group leader here, setsid execs in place: the process is the daemon itself.
        List<String> cmd = new ArrayList<>(List.of("setsid", javaBin(), "--enable-native-access=ALL-UNNAMED",
                "-XX:UserThreadWaitAttemptsAtExit=0", "-XX:+UseSerialGC", "-Xmx256m", "-cp", classpath(), "dev.skiff.daemon.Main",
                "-H", host(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("run").toString(), "--config-file", configFile().toString(),
                "--log-level", "debug", "--bridge", bridge, "--bip", bip));
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("skiffd.log").toFile()));
        pb.environment().putAll(environment);
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("skiffd exited with " + process.exitValue() + ":\n" + log());
            }
            if (ping()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("skiffd did not answer /_ping within 30s:\n" + log());
    }

    /** An environment variable for the daemon, from its next {@link #launch} on. */
    public void environment(String name, String value) {
        environment.put(name, value);
    }

    /** Writes the daemon's daemon.json (read at its next {@link #launch}). */
    public void config(String json) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("daemon.json"), json);
    }

    /** An empty daemon.json of the test's own, so the host's /etc/skiff/daemon.json never leaks in. */
    private Path configFile() throws IOException {
        Path file = dir.resolve("daemon.json");
        if (!Files.exists(file)) {
            Files.writeString(file, "{}\n");
        }
        return file;
    }

    /** "unix:///.../skiff.sock", for -H, DOCKER_HOST and SKIFF_HOST. */
    /** A docker-java client of this daemon (the client Testcontainers is built on); the caller closes it. */
    public com.github.dockerjava.api.DockerClient dockerJava() {
        var config = com.github.dockerjava.core.DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host()).build();
        var http = new com.github.dockerjava.zerodep.ZerodepDockerHttpClient.Builder()
                .dockerHost(java.net.URI.create(host())).build();
        return com.github.dockerjava.core.DockerClientImpl.getInstance(config, http);
    }

    public String host() {
        return "unix://" + socket;
    }

    public Path socket() {
        return socket;
    }

    public Path dir() {
        return dir;
    }

    /** The default bridge network's device name. */
    public String bridge() {
        return bridge;
    }

    /** The default bridge's gateway and prefix, "10.x.y.1/24". */
    public String bip() {
        return bip;
    }

    public long pid() {
        return process.pid();
    }

    /** Environment for the docker CLI and skiff CLI pointed at this daemon. */
    public Map<String, String> clientEnv() {
        return Map.of("DOCKER_HOST", host(), "SKIFF_HOST", host(), "DOCKER_CONFIG", dir.resolve("docker-config").toString());
    }

    /** The daemon's log so far (for assertion messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("skiffd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the daemon with SIGKILL, leaving its containers running. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops the daemon with SIGTERM. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    boolean ping() {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: skiff\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(1024);
            ch.read(buf);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes every container through the API (force), stops the daemon, and deletes the temp tree
     * after checking nothing is still mounted under it.
     */
    @Override
    public void close() throws Exception {
        try {
            if (process != null && process.isAlive()) {
                List<String> ids = Cli.docker(this, "ps", "-aq").stdout().lines().filter(l -> !l.isBlank()).toList();
                if (!ids.isEmpty()) {
                    List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                    rm.addAll(ids);
                    Cli.docker(this, rm.toArray(String[]::new));
                }
                Cli.docker(this, "network", "prune", "-f");
            }
        } finally {
            stop();
            TestNetworks.removeBridge(bridge);
            Mounts.unmountUnder(dir);
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classpath() {
        String jar = System.getProperty("skiff.jar");
        if (jar != null && Files.exists(Path.of(jar))) {
            return jar + ":" + Path.of(jar).getParent().resolve("lib") + "/*";
        }
        return System.getProperty("java.class.path");
    }
}
