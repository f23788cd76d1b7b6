package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static dev.skiff.it.Cli.skiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Published ports through the real docker CLI, the skiff CLI and docker-java against a real skiffd: what
 * `port`, `ps` and inspect show, random and fixed host ports, -P, a taken port, and ports let go on stop/rm.
 */
class PublishedPortsIT {
    static SkiffdProcess daemon;
    static DockerClient client;
    static int[] ephemeral;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
        client = daemon.dockerJava();
        String[] range = String.join(" ", Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))).trim().split("\\s+");
        ephemeral = new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @AfterEach
    void removeContainers() {
        String ids = docker(daemon, "ps", "-aq").out();
        if (!ids.isEmpty()) {
            docker(daemon, "rm", "-f", "-v", ids.split("\\s+")[0]);
            removeContainers();
        }
    }

    @Test
    void randomPort_portAndPsShowItAsDockerPrints_andBothClisAgree() {
        docker(daemon, "run", "-d", "--name", "web", "-p", "127.0.0.1::80", "-p", "90/udp", "busybox", "sleep", "300").assertOk();
        String all = docker(daemon, "port", "web").assertOk().out();
        assertThat(all).matches("80/tcp -> 127\\.0\\.0\\.1:\\d+\n90/udp -> 0\\.0\\.0\\.0:(\\d+)\n90/udp -> \\[::]:\\1");
        int tcp = Integer.parseInt(all.lines().findFirst().orElseThrow().replaceAll(".*:", ""));
        assertThat(tcp).isBetween(ephemeral[0], ephemeral[1]);
        assertThat(skiff(daemon, "port", "web").assertOk().out()).isEqualTo(all);
        assertThat(docker(daemon, "port", "web", "80").assertOk().out()).isEqualTo("127.0.0.1:" + tcp);
        assertThat(skiff(daemon, "port", "web", "80/tcp").assertOk().out()).isEqualTo("127.0.0.1:" + tcp);
        Cli.Result none = docker(daemon, "port", "web", "443");
        Cli.Result skiffNone = skiff(daemon, "port", "web", "443");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(skiffNone.exitCode()).isEqualTo(1);
        assertThat(skiffNone.stderr()).isEqualTo(none.stderr());
        String ps = docker(daemon, "ps", "--format", "{{.Ports}}").assertOk().out();
        assertThat(ps).startsWith("127.0.0.1:" + tcp + "->80/tcp, 0.0.0.0:").contains("->90/udp, [::]:").endsWith("->90/udp");
        assertThat(skiff(daemon, "ps", "--format", "{{.Ports}}").assertOk().out()).isEqualTo(ps);
    }

    @Test
    void fixedPortsAndRanges_inspectAsDockerFillsIt_readByDockerJavaAsTestcontainersDoes() throws IOException {
        int base = freeRun(3);
        docker(daemon, "run", "-d", "--name", "ranged", "-p", base + "-" + (base + 1) + ":80-81", "busybox", "sleep", "300").assertOk();
        InspectContainerResponse c = client.inspectContainerCmd("ranged").exec();
        Ports.Binding[] b80 = c.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(80));
        // on every IPv4 address and, relayed as docker-proxy does, every IPv6 one: both listed, as dockerd lists them
        assertThat(b80).hasSize(2);
        assertThat(b80[0].getHostIp()).isEqualTo("0.0.0.0");
        assertThat(b80[0].getHostPortSpec()).isEqualTo(Integer.toString(base));
        assertThat(b80[1].getHostIp()).isEqualTo("::");
        assertThat(b80[1].getHostPortSpec()).isEqualTo(Integer.toString(base));
        assertThat(c.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(81))[0].getHostPortSpec())
                .isEqualTo(Integer.toString(base + 1));
        assertThat(c.getHostConfig().getPortBindings().getBindings().get(ExposedPort.tcp(80))[0].getHostPortSpec())
                .isEqualTo(Integer.toString(base));
        // docker groups a run of ports only when host and container numbers are equal
        String ps = docker(daemon, "ps", "--format", "{{.Ports}}").out();
        assertThat(ps).isEqualTo("0.0.0.0:" + base + "->80/tcp, [::]:" + base + "->80/tcp, 0.0.0.0:" + (base + 1)
                + "->81/tcp, [::]:" + (base + 1) + "->81/tcp");
        assertThat(skiff(daemon, "ps", "--format", "{{.Ports}}").out()).isEqualTo(ps);
        // a host range for one container port: any free port of it
        docker(daemon, "run", "-d", "--name", "anyof", "-p", base + "-" + (base + 2) + ":80", "busybox", "sleep", "300").assertOk();
        assertThat(docker(daemon, "port", "anyof", "80").out()).isEqualTo("0.0.0.0:" + (base + 2) + "\n[::]:" + (base + 2));
        String inspect = docker(daemon, "inspect", "--format", "{{json .HostConfig.PortBindings}}", "anyof").out();
        assertThat(inspect).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"" + base + "-" + (base + 2) + "\"}]}");
    }

    @Test
    void publishAll_publishesImageAndFlagExposedPorts_andUnpublishedOnesShowAsNull() {
        docker(daemon, "run", "-d", "--name", "all", "-P", "--expose", "7000", "--expose", "7001-7002/udp",
                "busybox", "sleep", "300").assertOk();
        String ports = docker(daemon, "port", "all").assertOk().out();
        assertThat(ports).matches("7000/tcp -> 0\\.0\\.0\\.0:(\\d+)\n7000/tcp -> \\[::]:\\1\n7001/udp -> 0\\.0\\.0\\.0:(\\d+)\n"
                + "7001/udp -> \\[::]:\\2\n7002/udp -> 0\\.0\\.0\\.0:(\\d+)\n7002/udp -> \\[::]:\\3");
        docker(daemon, "run", "-d", "--name", "exposed", "--expose", "5000", "busybox", "sleep", "300").assertOk();
        assertThat(docker(daemon, "inspect", "--format", "{{json .NetworkSettings.Ports}}", "exposed").out())
                .isEqualTo("{\"5000/tcp\":null}");
        assertThat(docker(daemon, "ps", "--filter", "name=exposed", "--format", "{{.Ports}}").out()).isEqualTo("5000/tcp");
        // ps's expose= and publish= filters match what the list shows (they matched every container)
        assertThat(docker(daemon, "ps", "--filter", "expose=5000", "--format", "{{.Names}}").out()).isEqualTo("exposed");
        assertThat(docker(daemon, "ps", "--filter", "expose=7001-7002/udp", "--format", "{{.Names}}").out()).isEqualTo("all");
        String published = ports.substring(ports.indexOf(':') + 1, ports.indexOf('\n'));
        assertThat(docker(daemon, "ps", "--filter", "publish=" + published, "--format", "{{.Names}}").out()).isEqualTo("all");
        assertThat(docker(daemon, "ps", "--filter", "publish=5000", "-q").out()).isEmpty();
        assertThat(docker(daemon, "ps", "--filter", "expose=x").stderr()).contains("invalid filter 'expose=x'");
        // without a network of its own a container shows no ports, as dockerd's does
        docker(daemon, "run", "-d", "--name", "noports", "--network", "none", "-p", "80", "busybox", "sleep", "300").assertOk();
        assertThat(docker(daemon, "inspect", "--format", "{{json .NetworkSettings.Ports}}", "noports").out()).isEqualTo("{}");
        assertThat(docker(daemon, "ps", "--filter", "name=noports", "--format", "{{.Ports}}").out()).isEmpty();
    }

    @Test
    void takenPort_isDockersErrorAtStart_andPortsComeBackOnStopAndRm() throws IOException {
        int port;
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            port = other.getLocalPort();
            Cli.Result r = docker(daemon, "run", "-d", "--name", "clash", "-p", port + ":80", "busybox", "sleep", "300");
            assertThat(r.exitCode()).isEqualTo(125);
            assertThat(r.stderr()).contains("Bind for 0.0.0.0:" + port + " failed: port is already allocated");
            assertThat(docker(daemon, "inspect", "--format", "{{.State.Running}}", "clash").out()).isEqualTo("false");
        }
        docker(daemon, "rm", "clash").assertOk();
        // now free: the first container gets it, a second one (no socket of its own to collide with) does not
        docker(daemon, "run", "-d", "--name", "owner", "-p", port + ":80", "busybox", "sleep", "300").assertOk();
        Cli.Result second = docker(daemon, "run", "-d", "--name", "second", "-p", port + ":80", "busybox", "sleep", "300");
        assertThat(second.exitCode()).isEqualTo(125);
        assertThat(second.stderr()).contains("Bind for 0.0.0.0:" + port + " failed: port is already allocated");
        assertThat(canBind(port)).as("held while the container runs").isFalse();
        docker(daemon, "stop", "-t", "1", "owner").assertOk();
        assertThat(canBind(port)).as("let go on stop").isTrue();
        assertThat(rulesNaming("dport " + port)).as("portmap's rules gone on stop").isZero();
        assertThat(docker(daemon, "port", "owner").out()).isEmpty();
        assertThat(docker(daemon, "inspect", "--format", "{{json .NetworkSettings.Ports}}", "owner").out()).isEqualTo("{}");
        docker(daemon, "start", "second").assertOk();
        assertThat(canBind(port)).isFalse();
        assertThat(rulesNaming("dport " + port)).isPositive();
        docker(daemon, "rm", "-f", "second").assertOk();
        assertThat(canBind(port)).as("let go on rm").isTrue();
    }

    @Test
    void badSpecs_areRefused_byBothClisAndByTheApi() {
        Cli.Result d = docker(daemon, "run", "-p", "x:80", "busybox");
        Cli.Result s = skiff(daemon, "run", "-p", "x:80", "busybox");
        assertThat(d.exitCode()).isEqualTo(125);
        assertThat(s.exitCode()).isEqualTo(125);
        assertThat(d.stderr()).contains("invalid hostPort: x");
        assertThat(s.stderr()).contains("invalid hostPort: x");
        assertThat(skiff(daemon, "run", "-p", "8000-8002:80-81", "busybox").stderr())
                .contains("invalid ranges specified for container and host Ports: 80-81 and 8000-8002");
        Cli.Result api = Cli.run(daemon, java.util.List.of("curl", "-s", "--unix-socket", daemon.socket().toString(),
                "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"99999\"}]}}}",
                "http://x/containers/create"), null);
        assertThat(api.out()).isEqualTo("{\"message\":\"invalid port specification: \\\"99999\\\"\"}");
        assertThat(docker(daemon, "ps", "-aq").out()).isEmpty();
    }

    /** busybox httpd on port 80 serving "hello" and a CGI that prints the client address the container sees. */
    static final String HTTPD = "mkdir -p /www/cgi-bin && echo hello-from-skiff > /www/index.html"
            + " && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' > /www/cgi-bin/ip"
            + " && chmod +x /www/cgi-bin/ip && exec httpd -f -p 80 -h /www";

    @Test
    void traffic_reachesTheContainer_onLoopbackAndTheHostsOwnAddress_keepingTheClientAddress() throws Exception {
        docker(daemon, "run", "-d", "--name", "httpd", "-p", "80", "busybox", "sh", "-c", HTTPD).assertOk();
        int port = firstPort(docker(daemon, "port", "httpd", "80").assertOk().out());
        assertThat(get("127.0.0.1", port, "/index.html")).isEqualTo("hello-from-skiff\n");
        if (hostHasIpv6()) {
            // the IPv6 side, relayed to the container's IPv4 address as docker-proxy relays it
            assertThat(get("[::1]", port, "/index.html")).isEqualTo("hello-from-skiff\n");
        }
        String own = ownAddress();
        assertThat(get(own, port, "/index.html")).isEqualTo("hello-from-skiff\n");
        // the host's own address reaches the container unchanged; loopback cannot be routed back, so it is SNATed
        assertThat(remoteAddr(own, port)).isEqualTo(own);
        String gateway = docker(daemon, "inspect", "--format", "{{.NetworkSettings.Gateway}}", "httpd").out();
        assertThat(remoteAddr("127.0.0.1", port)).isEqualTo(gateway);
    }

    @Test
    void aPortPublishedOnOneIpv6Address_isServedThereOnly_andHeldAgainstOthers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hostHasIpv6(), "the host has IPv6 turned off");
        int port = freeRun(1);
        docker(daemon, "run", "-d", "--name", "v6only", "-p", "[::1]:" + port + ":80", "busybox", "sh", "-c", HTTPD)
                .assertOk();
        try {
            assertThat(docker(daemon, "port", "v6only", "80").assertOk().out()).isEqualTo("[::1]:" + port);
            assertThat(get("[::1]", port, "/index.html")).isEqualTo("hello-from-skiff\n");
            try (var v4 = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.INET)) {
                v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port)); // the IPv4 side is not taken
            }
            Cli.Result clash = docker(daemon, "run", "-d", "--name", "v6clash", "-p", port + ":80", "busybox", "sleep", "300");
            assertThat(clash.stderr()).contains("port is already allocated");
        } finally {
            docker(daemon, "rm", "-f", "v6only", "v6clash");
        }
    }

    @Test
    void publishAll_andFixedPorts_carryTraffic_andRmLeavesNoRule() throws Exception {
        int fixed = freeRun(1);
        // -P publishes the exposed 8000 on a random port; 80 keeps its own binding
        String id = docker(daemon, "run", "-d", "--name", "pub", "-P", "--expose", "8000", "-p", fixed + ":80",
                "busybox", "sh", "-c", HTTPD.replace("exec httpd", "httpd -p 8000 -h /www && exec httpd")).assertOk().out();
        assertThat(get("127.0.0.1", fixed, "/index.html")).isEqualTo("hello-from-skiff\n");
        assertThat(rulesNaming(id)).as("portmap's rules for the container").isPositive();
        assertThat(rulesNaming("dport " + fixed)).isPositive();
        int published = Integer.parseInt(docker(daemon, "port", "pub").out().lines()
                .filter(l -> !l.endsWith(":" + fixed)).findFirst().orElseThrow().replaceAll(".*:", ""));
        assertThat(get("127.0.0.1", published, "/index.html")).as("-P's random port").isEqualTo("hello-from-skiff\n");
        docker(daemon, "rm", "-f", "pub").assertOk();
        assertThat(rulesNaming(id)).as("rules left after rm").isZero();
        assertThat(rulesNaming("dport " + fixed)).isZero();
        assertThat(canBind(fixed)).isTrue();
    }

    /** busybox here has no UDP server (no nc -u, no udpsvd): the check is portmap's DNAT rule for the datagrams. */
    @Test
    void udp_isForwardedToTheContainersPort() {
        String id = docker(daemon, "run", "-d", "--name", "udp", "-p", "127.0.0.1::5000/udp", "busybox", "sleep", "300")
                .assertOk().out();
        int port = Integer.parseInt(docker(daemon, "port", "udp", "5000/udp").assertOk().out().replaceAll(".*:", ""));
        String ip = docker(daemon, "inspect", "--format", "{{.NetworkSettings.IPAddress}}", "udp").out();
        assertThat(TestNetworks.run("iptables-save", "-t", "nat").lines()
                .filter(l -> l.contains("-d 127.0.0.1/32 -p udp -m udp --dport " + port + " -j DNAT --to-destination " + ip + ":5000")))
                .hasSize(1);
        docker(daemon, "rm", "-f", "udp").assertOk();
        assertThat(rulesNaming(id)).isZero();
        assertThat(rulesNaming("dport " + port)).isZero();
    }

    @Test
    void daemonCrash_publishedPortsSurvive_stayHeld_andGoWithRm() throws Exception {
        String id = docker(daemon, "run", "-d", "--name", "survivor", "-p", "80", "busybox", "sh", "-c", HTTPD).assertOk().out();
        String before = docker(daemon, "port", "survivor", "80").assertOk().out();
        int port = firstPort(before);
        assertThat(get("127.0.0.1", port, "/index.html")).isEqualTo("hello-from-skiff\n");
        daemon.kill9();
        assertThat(get("127.0.0.1", port, "/index.html")).as("conmon keeps the container, the rules stay").isEqualTo("hello-from-skiff\n");
        daemon.launch();
        assertThat(docker(daemon, "port", "survivor", "80").assertOk().out()).isEqualTo(before);
        assertThat(canBind(port)).as("held again by the new daemon").isFalse();
        if (hostHasIpv6()) {
            assertThat(get("[::1]", port, "/index.html")).as("IPv6 relayed again").isEqualTo("hello-from-skiff\n");
        }
        Cli.Result clash = docker(daemon, "run", "-d", "--name", "late", "-p", port + ":80", "busybox", "sleep", "300");
        assertThat(clash.stderr()).contains("Bind for 0.0.0.0:" + port + " failed: port is already allocated");
        assertThat(get("127.0.0.1", port, "/index.html")).isEqualTo("hello-from-skiff\n");
        docker(daemon, "rm", "-f", "survivor").assertOk();
        assertThat(rulesNaming(id)).isZero();
        assertThat(canBind(port)).isTrue();
    }

    /** The client address busybox httpd gives its CGI, "[::ffff:10.1.2.3]" read as "10.1.2.3". */
    private static String remoteAddr(String host, int port) throws Exception {
        return get(host, port, "/cgi-bin/ip").strip().replaceFirst("^\\[(::ffff:)?", "").replaceFirst("]$", "");
    }

    /** Lines of iptables-save (filter and nat) that contain {@code text}. */
    private static long rulesNaming(String text) {
        return TestNetworks.run("iptables-save").lines().filter(l -> l.contains(text)).count();
    }

    /** The IPv4 address of the interface of the host's default route (not a bridge of some engine). */
    private static String ownAddress() throws IOException {
        String iface = Files.readAllLines(Path.of("/proc/net/route")).stream().skip(1).map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length > 2 && f[1].equals("00000000")).map(f -> f[0]).findFirst()
                .orElseThrow(() -> new org.opentest4j.TestAbortedException("this host has no default route"));
        var nif = java.net.NetworkInterface.getByName(iface);
        for (var a : java.util.Collections.list(nif.getInetAddresses())) {
            if (a instanceof java.net.Inet4Address) {
                return a.getHostAddress();
            }
        }
        throw new org.opentest4j.TestAbortedException(iface + " has no IPv4 address");
    }

    /** GET http://host:port/path, retried for a few seconds while httpd comes up. */
    static String get(String host, int port, String path) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(2)).proxy(java.net.http.HttpClient.Builder.NO_PROXY).build();
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(java.time.Duration.ofSeconds(5)).build();
        Exception last = null;
        for (int i = 0; i < 50; i++) {
            try {
                java.net.http.HttpResponse<String> r = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
                last = new IOException("HTTP " + r.statusCode() + ": " + r.body());
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + req.uri() + " failed", last);
    }

    /** The host port of `docker port CTR PORT`'s first line ("0.0.0.0:32768", then "[::]:32768"). */
    private static int firstPort(String portOutput) {
        return Integer.parseInt(portOutput.lines().findFirst().orElseThrow().replaceAll(".*:", ""));
    }

    private static boolean hostHasIpv6() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** n consecutive free ports below the ephemeral range, so no random allocation races for them. */
    private static int freeRun(int n) {
        for (int start = 21000 + (int) (ProcessHandle.current().pid() % 400) * 20; start < 29000; start += n) {
            boolean free = true;
            for (int p = start; p < start + n && free; p++) {
                free = canBind(p);
            }
            if (free) {
                return start;
            }
        }
        throw new IllegalStateException("no free run of " + n + " ports");
    }
}
