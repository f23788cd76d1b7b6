package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What networking leaves behind: nothing after many create/run/rm cycles, and after a kill -9 of skiffd the
 * running containers keep their wiring while what belonged to exited ones is released. Counts are of this
 * daemon's own bridges, subnets and namespace files, so concurrent tests elsewhere on the host do not disturb them.
 */
class NetworkRecoveryIT {
    SkiffdProcess daemon;
    String subnet;

    @BeforeEach
    void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
        subnet = TestNetworks.freeSubnet(24);
        docker(daemon, "network", "create", "--subnet", subnet, "leaknet").assertOk();
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    private String leakBridge() {
        return "br-" + docker(daemon, "network", "inspect", "-f", "{{.Id}}", "leaknet").assertOk().out().substring(0, 12);
    }

    /** veths on our bridges, iptables lines naming our bridges or subnets, namespace files, addresses in use. */
    private List<Integer> counts() throws Exception {
        List<String> bridges = List.of(daemon.bridge(), leakBridge());
        int veths = 0;
        for (String b : bridges) {
            // (a bridge no container used yet does not exist: ip then prints an error, not a link)
            veths += (int) TestNetworks.run("ip", "-o", "link", "show", "master", b).lines().filter(l -> l.contains(" master ")).count();
        }
        String defaultSubnet = daemon.bip().replaceFirst("\\.1/24$", ".0/24");
        int rules = (int) TestNetworks.run("iptables-save").lines()
                .filter(l -> bridges.stream().anyMatch(l::contains) || l.contains(subnet) || l.contains(defaultSubnet)).count();
        int netns;
        Path dir = daemon.dir().resolve("run/netns");
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            netns = (int) files.count();
        }
        int addresses = 0;
        for (String n : List.of("bridge", "leaknet")) {
            addresses += docker(daemon, "network", "inspect", "-f", "{{len .Containers}}", n).assertOk().out().isEmpty() ? 0
                    : Integer.parseInt(docker(daemon, "network", "inspect", "-f", "{{len .Containers}}", n).out());
        }
        return List.of(veths, rules, netns, addresses);
    }

    /**
     * The counts once they match, or after 5 s: the kernel destroys a released namespace (and its veth pair) in a
     * work queue after the last reference goes. Kept tight on purpose: a namespace pinned for a while, not forever,
     * is a leak too (a pooled JDK thread born inside a container's namespace held it for its 60 s keep-alive; a
     * 60 s wait let that pass). A settle slower than 1 s is reported on stderr with the links left.
     */
    private List<Integer> settledCounts(List<Integer> expected) throws Exception {
        long t0 = System.nanoTime();
        List<Integer> now = counts();
        for (int i = 0; i < 50 && !now.equals(expected); i++) {
            Thread.sleep(100);
            now = counts();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms > 1_000) {
            System.err.println("NetworkRecoveryIT: counts took " + ms + " ms to settle; now " + now + ", expected "
                    + expected + "; links left: " + leftLinks());
        }
        return now;
    }

    private String leftLinks() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String b : List.of(daemon.bridge(), leakBridge())) {
            out.append(TestNetworks.run("ip", "-o", "link", "show", "master", b).strip()).append(' ');
        }
        return out.toString().strip();
    }

    @Test
    void manyCycles_leaveNothingBehind() throws Exception {
        docker(daemon, "run", "--rm", "--network", "leaknet", "busybox", "true").assertOk();
        docker(daemon, "run", "--rm", "busybox", "true").assertOk();
        List<Integer> before = counts();
        assertThat(before.get(1)).as("the networks' own rules exist").isPositive();
        assertThat(List.of(before.get(0), before.get(2), before.get(3))).containsOnly(0);
        for (int i = 0; i < 40; i++) {
            docker(daemon, "run", "--rm", "--network", i % 2 == 0 ? "leaknet" : "bridge", "busybox", "true").assertOk();
        }
        for (int i = 0; i < 10; i++) {
            String id = docker(daemon, "create", "--network", "leaknet", "busybox", "sleep", "60").assertOk().out();
            docker(daemon, "start", id).assertOk();
            docker(daemon, "rm", "-f", id).assertOk();
        }
        assertThat(settledCounts(before)).as("veths, iptables lines, netns files, addresses").isEqualTo(before);
    }

    /**
     * The 1,000 cycles, through the API (docker-java) four at a time: a run on either network, every
     * fourth one publishing a random port, each removed with its wiring. (-Dskiff.it.cycles=N to change N.)
     */
    @Test
    void thousandApiCycles_withPublishedPorts_leaveNothingBehind() throws Exception {
        int cycles = Integer.getInteger("skiff.it.cycles", 1000);
        docker(daemon, "run", "--rm", "--network", "leaknet", "busybox", "true").assertOk();
        docker(daemon, "run", "--rm", "busybox", "true").assertOk();
        List<Integer> before = counts();
        try (com.github.dockerjava.api.DockerClient client = daemon.dockerJava()) {
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<?>> workers = new java.util.ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < cycles; ) {
                        var host = new com.github.dockerjava.api.model.HostConfig()
                                .withNetworkMode(i % 2 == 0 ? "leaknet" : "bridge");
                        if (i % 4 == 0) {
                            host = host.withPortBindings(com.github.dockerjava.api.model.PortBinding.parse("80"));
                        }
                        String id = client.createContainerCmd("busybox").withCmd("true")
                                .withExposedPorts(com.github.dockerjava.api.model.ExposedPort.tcp(80))
                                .withHostConfig(host).exec().getId();
                        client.startContainerCmd(id).exec();
                        client.waitContainerCmd(id).start().awaitStatusCode();
                        client.removeContainerCmd(id).withForce(true).exec();
                    }
                    return null;
                }));
            }
            for (var f : workers) {
                f.get(15, java.util.concurrent.TimeUnit.MINUTES);
            }
            pool.shutdown();
        }
        assertThat(docker(daemon, "ps", "-aq").assertOk().out()).isEmpty();
        assertThat(settledCounts(before)).as("veths, iptables lines, netns files, addresses after " + cycles + " cycles")
                .isEqualTo(before);
    }

    @Test
    void killedDaemon_keepsRunningContainersWired_releasesExitedOnes() throws Exception {
        docker(daemon, "run", "-d", "--name", "keeper", "--network", "leaknet", "busybox", "sh", "-c",
                "mkdir /www && echo kept > /www/index.html && exec httpd -f -p 80 -h /www").assertOk();
        docker(daemon, "run", "-d", "--name", "quitter", "--network", "leaknet", "busybox", "sleep", "2").assertOk();
        String ip = NetworkItSupport.ip(daemon, "keeper", "leaknet");

        daemon.kill9();
        Thread.sleep(3000); // quitter exits while no daemon watches
        daemon.launch();
        docker(daemon, "wait", "quitter").assertOk(); // its exit is recorded (at reconcile, or by the exit monitor)

        List<Integer> after = counts();
        if (after.get(0) != 1) {
            after = settledCounts(List.of(1, after.get(1), 1, 1));
        }
        assertThat(after.get(0)).as("one veth: keeper's").isEqualTo(1);
        assertThat(after.get(2)).as("one namespace file: keeper's").isEqualTo(1);
        assertThat(after.get(3)).as("one address in use: keeper's").isEqualTo(1);
        assertThat(NetworkItSupport.fetch(daemon, "leaknet", ip)).contains("kept");
        // a new container does not get keeper's address
        String other = docker(daemon, "run", "-d", "--network", "leaknet", "busybox", "sleep", "60").assertOk().out();
        assertThat(NetworkItSupport.ip(daemon, other, "leaknet")).isNotEqualTo(ip);
        docker(daemon, "rm", "-f", "keeper", "quitter", other).assertOk();
        List<Integer> end = settledCounts(List.of(0, after.get(1), 0, 0));
        assertThat(List.of(end.get(0), end.get(2), end.get(3))).containsOnly(0);
    }
}
