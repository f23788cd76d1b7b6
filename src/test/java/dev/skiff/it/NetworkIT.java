package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bridge networks end to end with the docker CLI against one daemon: traffic between containers on a network,
 * isolation between networks, internal networks, connect/disconnect, /etc files, inspect, errors. Traffic stays
 * on the test's own bridges (random 10.x subnets) and the host.
 */
class NetworkIT {
    static SkiffdProcess daemon;
    static String subnetA;
    static String subnetB;
    static String subnetI;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
        subnetA = TestNetworks.freeSubnet(24);
        subnetB = TestNetworks.freeSubnet(24);
        subnetI = TestNetworks.freeSubnet(24);
        docker(daemon, "network", "create", "--subnet", subnetA, "--label", "test=net", "na").assertOk();
        docker(daemon, "network", "create", "--subnet", subnetB, "nb").assertOk();
        docker(daemon, "network", "create", "--internal", "--subnet", subnetI, "ni").assertOk();
        docker(daemon, "run", "-d", "--name", "srv", "--network", "na", "busybox", "sh", "-c",
                "mkdir /www && echo hello-from-srv > /www/index.html && exec httpd -f -p 80 -h /www").assertOk();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    static String ipOf(String container, String network) {
        return docker(daemon, "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container)
                .assertOk().out();
    }

    /** An HTTP GET from a throwaway container on {@code network}, with busybox nc (3 s timeout). */
    static Cli.Result fetchFrom(String network, String ip) {
        return docker(daemon, "run", "--rm", "--network", network, "busybox", "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + ip + " 80");
    }

    static String gateway(String subnet) {
        return subnet.replace(".0/24", ".1");
    }

    @Test
    void sameNetwork_reaches_otherNetworksDoNot() throws Exception {
        String ip = ipOf("srv", "na");
        assertThat(ip).startsWith(subnetA.substring(0, subnetA.lastIndexOf('.')));
        assertThat(fetchFrom("na", ip).assertOk().out()).contains("hello-from-srv");
        assertThat(fetchFrom("nb", ip).stdout()).doesNotContain("hello-from-srv");
        assertThat(fetchFrom("bridge", ip).stdout()).doesNotContain("hello-from-srv");
        // the host reaches the container, and the container the host (its gateway is the host's bridge address)
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, 80), 3000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).contains("hello-from-srv");
        }
        docker(daemon, "run", "--rm", "--network", "na", "busybox", "ping", "-c", "1", "-W", "2", gateway(subnetA)).assertOk();
    }

    @Test
    void networkCreate_makesItsBridgeDevice_withTheGateway_andRemoveDeletesIt() throws Exception {
        // as dockerd: the device is there before any container runs (firewall rules and routes may name it)
        String subnet = TestNetworks.freeSubnet(24);
        String device = "skit" + Long.toHexString(System.nanoTime() & 0xffffffL);
        docker(daemon, "network", "create", "--subnet", subnet, "-o", "com.docker.network.bridge.name=" + device,
                "nbr").assertOk();
        try {
            assertThat(java.nio.file.Path.of("/sys/class/net", device)).exists();
            Process p = new ProcessBuilder("ip", "-4", "addr", "show", "dev", device).redirectErrorStream(true).start();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains(gateway(subnet) + "/24");
            p.waitFor();
            docker(daemon, "run", "--rm", "--network", "nbr", "busybox", "ping", "-c", "1", "-W", "2", gateway(subnet))
                    .assertOk(); // the CNI plugin takes the existing bridge
        } finally {
            docker(daemon, "network", "rm", "nbr").assertOk();
        }
        assertThat(java.nio.file.Path.of("/sys/class/net", device)).doesNotExist();
    }

    @Test
    void aContainerOnNone_orSharingANamespace_isNotConnected_withDockerdsWords() {
        docker(daemon, "create", "--name", "on-none", "--network", "none", "busybox", "true").assertOk();
        docker(daemon, "create", "--name", "on-host", "--network", "host", "busybox", "true").assertOk();
        try {
            assertThat(docker(daemon, "network", "connect", "na", "on-none").stderr())
                    .contains("container cannot be connected to multiple networks with one of the networks in private (none) mode");
            assertThat(docker(daemon, "network", "connect", "na", "on-host").stderr())
                    .contains("container sharing network namespace with another container or host cannot be connected to any other network");
            for (String mode : List.of("none", "host")) { // --ip names an address, and these modes have none
                assertThat(docker(daemon, "create", "--network", mode, "--ip", "10.1.1.1", "busybox", "true").stderr())
                        .contains("user specified IP address is supported on user defined networks only");
            }
        } finally {
            docker(daemon, "rm", "on-none", "on-host");
        }
    }

    @Test
    void inspectOfHostAndNone_listsTheRunningContainersInThoseModes() {
        docker(daemon, "run", "-d", "--name", "runs-on-none", "--network", "none", "busybox", "sleep", "60").assertOk();
        docker(daemon, "run", "-d", "--name", "runs-on-host", "--network", "host", "busybox", "sleep", "60").assertOk();
        try {
            String fmt = "{{range $id, $c := .Containers}}{{$c.Name}} [{{$c.IPv4Address}}] {{len $c.EndpointID}};{{end}}";
            assertThat(docker(daemon, "network", "inspect", "-f", fmt, "none").assertOk().out())
                    .isEqualTo("runs-on-none [] 64;");
            assertThat(docker(daemon, "network", "inspect", "-f", fmt, "host").assertOk().out())
                    .isEqualTo("runs-on-host [] 64;");
            docker(daemon, "stop", "-t", "0", "runs-on-none").assertOk();
            assertThat(docker(daemon, "network", "inspect", "-f", fmt, "none").assertOk().out()).isEmpty();
            // and their connect/disconnect events, as dockerd publishes them
            String until = Long.toString(java.time.Instant.now().getEpochSecond() + 1);
            String id = docker(daemon, "inspect", "-f", "{{.Id}}", "runs-on-none").assertOk().out();
            // (a container= filter matches container events only, in dockerd too: the id is in the attributes)
            assertThat(docker(daemon, "events", "--since", "5m", "--until", until, "--filter", "network=none",
                    "--format", "{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.type}} {{.Actor.Attributes.container}}")
                    .assertOk().out().lines().filter(l -> l.endsWith(" " + id)).map(l -> l.substring(0, l.length() - id.length() - 1)))
                    .containsExactly("connect none null", "disconnect none null");
        } finally {
            docker(daemon, "rm", "-f", "runs-on-none", "runs-on-host");
        }
    }

    @Test
    void disconnectingAStoppedContainer_holdsAtItsNextStart_andANoneContainerMayLeaveNone() {
        String count = "ip -4 addr | grep -c inet";
        docker(daemon, "create", "--name", "cut-off", "--network", "na", "busybox", "sh", "-c", count).assertOk();
        docker(daemon, "create", "--name", "was-none", "--network", "none", "busybox", "sh", "-c", count).assertOk();
        try {
            docker(daemon, "network", "disconnect", "na", "cut-off").assertOk();
            // it had joined its NetworkMode's network again: the disconnect was undone at the start
            assertThat(docker(daemon, "start", "-a", "cut-off").assertOk().out()).isEqualTo("1"); // loopback only
            docker(daemon, "network", "connect", "na", "cut-off").assertOk();
            assertThat(docker(daemon, "start", "-a", "cut-off").assertOk().out()).isEqualTo("2");

            assertThat(docker(daemon, "network", "connect", "na", "was-none").stderr())
                    .contains("one of the networks in private (none) mode");
            docker(daemon, "network", "disconnect", "none", "was-none").assertOk();
            assertThat(docker(daemon, "network", "disconnect", "none", "was-none").stderr())
                    .contains("is not connected to the network none");
            docker(daemon, "network", "connect", "na", "was-none").assertOk();
            assertThat(docker(daemon, "start", "-a", "was-none").assertOk().out()).isEqualTo("2");
            assertThat(docker(daemon, "inspect", "-f", "{{.HostConfig.NetworkMode}} {{range $k, $v := "
                    + ".NetworkSettings.Networks}}{{$k}} {{end}}", "was-none").assertOk().out()).isEqualTo("none na");
        } finally {
            docker(daemon, "rm", "-f", "cut-off", "was-none");
        }
    }

    @Test
    void anAttachedRun_publishesItsEvents_inDockerdsOrder() {
        String since = Long.toString(java.time.Instant.now().getEpochSecond() - 1);
        docker(daemon, "run", "--name", "ordered", "--network", "none", "busybox", "true").assertOk();
        String id = docker(daemon, "inspect", "-f", "{{.Id}}", "ordered").assertOk().out();
        docker(daemon, "rm", "ordered").assertOk();
        String until = Long.toString(java.time.Instant.now().getEpochSecond() + 1);
        // the attach is announced when the CLI asks for it (before its start), the network goes after the die
        assertThat(docker(daemon, "events", "--since", since, "--until", until, "--format",
                "{{.Type}}:{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.container}}").assertOk().out().lines()
                .filter(l -> l.contains(id)).map(l -> l.substring(0, l.indexOf(' '))))
                .containsExactly("container:create", "container:attach", "network:connect", "container:start",
                        "container:die", "network:disconnect", "container:destroy");
    }

    @Test
    void withoutIcc_containersOfTheNetworkDoNotReachEachOther_butTheHostReachesThem() throws Exception {
        String subnet = TestNetworks.freeSubnet(24);
        docker(daemon, "network", "create", "--subnet", subnet, "-o", "com.docker.network.bridge.enable_icc=false",
                "noicc").assertOk();
        try {
            docker(daemon, "run", "-d", "--name", "isolated", "--network", "noicc", "busybox", "sh", "-c",
                    "mkdir /www && echo hello-from-isolated > /www/index.html && exec httpd -f -p 80 -h /www").assertOk();
            String ip = ipOf("isolated", "noicc");
            assertThat(fetchFrom("noicc", ip).stdout()).doesNotContain("hello-from-isolated");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, 80), 3000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .contains("hello-from-isolated");
            }
        } finally {
            docker(daemon, "rm", "-f", "isolated");
            String id = docker(daemon, "network", "inspect", "-f", "{{.Id}}", "noicc").assertOk().out();
            docker(daemon, "network", "rm", "noicc").assertOk();
            assertThat(TestNetworks.run("iptables", "-S", "SKIFF-ISOLATION")).doesNotContain("br-" + id.substring(0, 12));
        }
    }

    @Test
    void internalNetwork_hasNoRouteOut_butReachesItsOwn() {
        Cli.Result routes = docker(daemon, "run", "--rm", "--network", "ni", "busybox", "ip", "route").assertOk();
        assertThat(routes.out()).doesNotContain("default");
        // the host's address on another bridge: no route from an internal network
        Cli.Result out = docker(daemon, "run", "--rm", "--network", "ni", "busybox", "ping", "-c", "1", "-W", "1",
                gateway(subnetA));
        assertThat(out.exitCode()).isNotZero();
        assertThat(fetchFrom("ni", ipOf("srv", "na")).stdout()).doesNotContain("hello-from-srv");
        docker(daemon, "run", "--rm", "--network", "ni", "busybox", "ping", "-c", "1", "-W", "2", gateway(subnetI)).assertOk();
        // nothing published from a container on internal networks alone, as with dockerd: no way around --internal
        docker(daemon, "run", "-d", "--name", "walled", "--network", "ni", "-p", "127.0.0.1::80", "busybox", "sleep", "600")
                .assertOk();
        try {
            assertThat(docker(daemon, "port", "walled").assertOk().out()).isEmpty();
        } finally {
            docker(daemon, "rm", "-f", "walled");
        }
    }

    @Test
    void connectAndDisconnect_aRunningContainer() {
        docker(daemon, "run", "-d", "--name", "roamer", "--network", "nb", "busybox", "sleep", "600").assertOk();
        String wanted = subnetA.replace(".0/24", ".77");
        docker(daemon, "network", "connect", "--ip", wanted, "--alias", "wanderer", "na", "roamer").assertOk();
        assertThat(docker(daemon, "exec", "roamer", "ip", "-o", "-4", "addr", "show", "eth1").assertOk().out()).contains(wanted + "/24");
        assertThat(docker(daemon, "exec", "roamer", "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + ipOf("srv", "na") + " 80").assertOk().out())
                .contains("hello-from-srv");
        assertThat(docker(daemon, "inspect", "-f", "{{json (index .NetworkSettings.Networks \"na\").Aliases}}", "roamer")
                .assertOk().out()).isEqualTo("[\"wanderer\"]");
        assertThat(docker(daemon, "ps", "--filter", "network=na", "--format", "{{.Names}}").assertOk().out().lines())
                .containsExactlyInAnyOrder("srv", "roamer");
        assertThat(docker(daemon, "network", "connect", "na", "roamer").stderr()).contains("already exists in network na");
        docker(daemon, "network", "disconnect", "na", "roamer").assertOk();
        assertThat(docker(daemon, "exec", "roamer", "ip", "-o", "link").assertOk().out()).doesNotContain("eth1");
        assertThat(docker(daemon, "network", "disconnect", "na", "roamer").stderr()).contains("is not connected to network na");
        String until = Long.toString(System.currentTimeMillis() / 1000 + 2);
        String events = docker(daemon, "events", "--since", "2m", "--until", until, "--filter", "type=network",
                "--filter", "event=disconnect", "--format", "{{.Actor.Attributes.name}}").assertOk().out();
        assertThat(events).contains("na");
        // off its last network: inspect lists none, as dockerd's does (it showed nb with empty fields)
        docker(daemon, "network", "disconnect", "nb", "roamer").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{json .NetworkSettings.Networks}}", "roamer").assertOk().out())
                .isEqualTo("{}");
        docker(daemon, "rm", "-f", "roamer").assertOk();

        // started on the default bridge, then connected to a user-defined network: names resolve from then on
        docker(daemon, "run", "-d", "--name", "latecomer", "busybox", "sleep", "600").assertOk();
        assertThat(docker(daemon, "exec", "latecomer", "cat", "/etc/resolv.conf").assertOk().out()).doesNotContain("127.0.0.11");
        docker(daemon, "network", "connect", "na", "latecomer").assertOk();
        assertThat(docker(daemon, "exec", "latecomer", "cat", "/etc/resolv.conf").assertOk().out())
                .contains("nameserver 127.0.0.11");
        assertThat(docker(daemon, "exec", "latecomer", "nslookup", "srv").assertOk().out())
                .contains("Address: " + ipOf("srv", "na"));
        docker(daemon, "rm", "-f", "latecomer").assertOk();
    }

    @Test
    void userNetworks_resolveNamesAliasesAndShortIds_onlyOnSharedNetworks() {
        String a = docker(daemon, "run", "-d", "--name", "alpha1", "--network", "na", "--network-alias", "pool", "busybox",
                "sleep", "600").assertOk().out();
        docker(daemon, "run", "-d", "--name", "alpha2", "--network", "na", "--network-alias", "pool", "busybox",
                "sleep", "600").assertOk();
        String out = docker(daemon, "run", "--rm", "--network", "na", "busybox", "sh", "-c",
                "cat /etc/resolv.conf; nslookup srv; nslookup pool; nslookup " + a.substring(0, 12)).assertOk().out();
        assertThat(out).contains("nameserver 127.0.0.11").contains("options ndots:0")
                .contains("Address: " + ipOf("srv", "na"))
                .contains("Address: " + ipOf("alpha1", "na")).contains("Address: " + ipOf("alpha2", "na"));
        // another network does not see them; the default bridge has no service discovery, as Docker's
        assertThat(docker(daemon, "run", "--rm", "--network", "nb", "busybox", "nslookup", "srv").out()).doesNotContain(ipOf("srv", "na"));
        Cli.Result onBridge = docker(daemon, "run", "--rm", "busybox", "sh", "-c", "cat /etc/resolv.conf; nslookup srv");
        assertThat(onBridge.out()).doesNotContain("127.0.0.11").doesNotContain(ipOf("srv", "na"));
        // a client of API 1.44 or older (docker-py 5: 1.41) finds the short ID and hostname among the Aliases
        String old = Cli.run(null, List.of("curl", "-s", "--unix-socket", daemon.socket().toString(),
                "http://skiff/v1.41/containers/alpha1/json"), null).assertOk().stdout();
        assertThat(old).contains("\"Aliases\":[\"pool\",\"" + a.substring(0, 12) + "\"]");
        assertThat(Cli.run(null, List.of("curl", "-s", "--unix-socket", daemon.socket().toString(),
                "http://skiff/v1.50/containers/alpha1/json"), null).assertOk().stdout()).contains("\"Aliases\":[\"pool\"]");
        docker(daemon, "rm", "-f", "alpha1", "alpha2").assertOk();
    }

    @Test
    void aContainerJoiningAnothersNetwork_takesItsNamesHostsAndResolver() {
        String web = docker(daemon, "run", "-d", "--name", "joined-web", "--network", "na", "--hostname", "webhost",
                "busybox", "sleep", "600").assertOk().out();
        try {
            // as dockerd: the other container's hostname, /etc/hosts and resolv.conf (its embedded DNS), so a
            // sidecar finds the network's names
            String out = docker(daemon, "run", "--rm", "--network", "container:joined-web", "busybox", "sh", "-c",
                    "hostname; cat /etc/resolv.conf; tail -1 /etc/hosts; nslookup srv").assertOk().out();
            assertThat(out).startsWith("webhost\n").contains("nameserver 127.0.0.11")
                    .contains(ipOf("joined-web", "na") + "\twebhost").contains("Address: " + ipOf("srv", "na"));
            String side = docker(daemon, "create", "--network", "container:" + web.substring(0, 12), "busybox", "true")
                    .assertOk().out();
            docker(daemon, "start", side).assertOk();
            assertThat(docker(daemon, "inspect", "-f", "{{.Config.Hostname}} {{.HostsPath}}", side).assertOk().out())
                    .isEqualTo("webhost " + docker(daemon, "inspect", "-f", "{{.HostsPath}}", "joined-web").assertOk().out());
            docker(daemon, "rm", side).assertOk();
            // what it cannot have of its own, in dockerd's words
            assertThat(docker(daemon, "create", "--network", "container:joined-web", "--hostname", "x", "busybox", "true")
                    .stderr()).contains("conflicting options: hostname and the network mode");
            assertThat(docker(daemon, "create", "--network", "container:joined-web", "--dns", "1.1.1.1", "busybox", "true")
                    .stderr()).contains("conflicting options: dns and the network mode");
            assertThat(docker(daemon, "create", "--network", "container:joined-web", "--add-host", "a:10.0.0.1", "busybox",
                    "true").stderr()).contains("conflicting options: custom host-to-IP mapping and the network mode");
        } finally {
            docker(daemon, "rm", "-f", "joined-web");
        }
    }

    @Test
    void links_areHostsLinesAndVariablesOnTheBridge_andPrivateNamesOnUserNetworks() {
        docker(daemon, "run", "-d", "--name", "lnkdb", "-e", "SECRET=s3", "--expose", "5432",
                        "--expose", "7000-7001/udp", "busybox", "sleep", "600")
                .assertOk();
        String dbIp = ipOf("lnkdb", "bridge");
        String out = docker(daemon, "run", "--rm", "--name", "lnkweb", "--link", "lnkdb:database", "busybox", "sh", "-c",
                "grep database /etc/hosts; env | grep ^DATABASE_ | sort; ping -c1 -W3 database >/dev/null && echo reached")
                .assertOk().out();
        assertThat(out).contains(dbIp + "\tdatabase ").contains(" lnkdb\n")
                .contains("DATABASE_NAME=/lnkweb/database", "DATABASE_PORT=tcp://" + dbIp + ":5432",
                        "DATABASE_PORT_5432_TCP_ADDR=" + dbIp, "DATABASE_PORT_5432_TCP_PROTO=tcp", "DATABASE_ENV_SECRET=s3",
                        "DATABASE_PORT_7001_UDP=udp://" + dbIp + ":7001", "DATABASE_PORT_7000_UDP_PORT_END=7001",
                        "reached");
        // dockerd's order, for the container and an exec in it: PATH, HOSTNAME, the links' variables, then its own Env
        docker(daemon, "run", "-d", "--name", "lnkord", "--link", "lnkdb:db", "-e", "MINE=1", "busybox", "sleep", "600")
                .assertOk();
        for (String env : List.of(docker(daemon, "exec", "lnkord", "sh", "-c", "tr '\\0' '\\n' < /proc/1/environ")
                .assertOk().out(), docker(daemon, "exec", "lnkord", "env").assertOk().out())) {
            List<String> names = env.lines().map(l -> l.substring(0, l.indexOf('='))).toList();
            assertThat(names.subList(0, 3)).containsExactly("PATH", "HOSTNAME", "DB_PORT");
            assertThat(names.indexOf("MINE")).isGreaterThan(names.lastIndexOf("DB_ENV_SECRET"));
        }
        docker(daemon, "rm", "-f", "lnkord").assertOk();
        String id = docker(daemon, "create", "--name", "lnkshow", "--link", "lnkdb", "busybox", "true").assertOk().out();
        assertThat(docker(daemon, "inspect", "-f", "{{json .HostConfig.Links}}", id).assertOk().out())
                .isEqualTo("[\"/lnkdb:/lnkshow/lnkdb\"]");
        docker(daemon, "rm", "lnkshow").assertOk();

        // a missing target is a bad request, not a missing image the CLI would try to pull
        Cli.Result missing = docker(daemon, "run", "--rm", "--link", "nosuch:x", "busybox", "true");
        assertThat(missing.exitCode()).isEqualTo(125);
        assertThat(missing.stderr()).contains("could not get container for nosuch").doesNotContain("Unable to find image");
        assertThat(docker(daemon, "run", "--rm", "--network", "host", "--link", "lnkdb", "busybox", "true").stderr())
                .contains("host type networking can't be used with links");

        // on a user-defined network a link is a name only the linking container resolves
        docker(daemon, "run", "-d", "--name", "lnkpg", "--network", "na", "busybox", "sleep", "600").assertOk();
        assertThat(docker(daemon, "run", "--rm", "--network", "na", "--link", "lnkpg:pg", "busybox", "nslookup", "pg")
                .assertOk().out()).contains("Address: " + ipOf("lnkpg", "na"));
        assertThat(docker(daemon, "run", "--rm", "--network", "na", "busybox", "nslookup", "pg").out())
                .doesNotContain(ipOf("lnkpg", "na"));

        docker(daemon, "stop", "-t", "0", "lnkdb").assertOk();
        Cli.Result stopped = docker(daemon, "run", "--rm", "--link", "lnkdb:database", "busybox", "true");
        assertThat(stopped.exitCode()).isEqualTo(125);
        assertThat(stopped.stderr()).contains("Cannot link to a non running container: /lnkdb AS");
        docker(daemon, "rm", "-f", "lnkdb", "lnkpg").assertOk();
    }

    @Test
    void etcFiles_asDockerWritesThem() {
        String out = docker(daemon, "run", "--rm", "--network", "na", "--hostname", "web", "--add-host", "db:10.20.30.40",
                "--add-host", "outside:host-gateway", "--dns", "10.0.0.53", "--dns-search", "corp.example",
                "--dns-option", "ndots:2", "busybox", "sh", "-c", "cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---;"
                        + " hostname; ip -o -4 addr show eth0").assertOk().out();
        String[] parts = out.split("---\n");
        String bridgeGateway = daemon.bip().replace("/24", "");
        assertThat(parts[0]).startsWith("127.0.0.1\tlocalhost\n").contains("10.20.30.40\tdb\n")
                .contains(bridgeGateway + "\toutside\n").containsPattern("10\\.\\d+\\.\\d+\\.\\d+\tweb\n");
        assertThat(parts[1]).contains("search corp.example").contains("options ndots:2");
        assertThat(parts[2]).startsWith("web\n");
        // the default bridge: the container's own line names its short id, inspect shows the legacy fields
        String id = docker(daemon, "run", "-d", "busybox", "sleep", "60").assertOk().out();
        String ip = docker(daemon, "inspect", "-f", "{{.NetworkSettings.IPAddress}} {{.NetworkSettings.Gateway}} "
                + "{{.NetworkSettings.Networks.bridge.IPPrefixLen}}", id).assertOk().out();
        assertThat(ip).isEqualTo(bridgeGateway.replaceFirst("\\.1$", ".") + ip.split("\\.")[3].split(" ")[0]
                + " " + bridgeGateway + " 24");
        assertThat(docker(daemon, "exec", id, "cat", "/etc/hosts").assertOk().out()).endsWith(ip.split(" ")[0] + "\t" + id.substring(0, 12));
        docker(daemon, "rm", "-f", id).assertOk();
    }

    @Test
    void skiffCli_networkCommandsAndRunFlags() {
        String subnet = TestNetworks.freeSubnet(24);
        String ip = subnet.replace(".0/24", ".40");
        assertThat(Cli.skiff(daemon, "network", "create", "--subnet", subnet, "--label", "via=skiff", "sk").assertOk().out())
                .hasSize(64);
        assertThat(Cli.skiff(daemon, "network", "ls", "--filter", "label=via=skiff", "--format", "{{.Name}} {{.Driver}}")
                .assertOk().out()).isEqualTo("sk bridge");
        String out = Cli.skiff(daemon, "run", "--rm", "--network", "sk", "--ip", ip, "--network-alias", "svc",
                "--add-host", "db:10.9.8.7", "--dns-search", "example.test", "busybox", "sh", "-c",
                "ip -o -4 addr show eth0; grep db /etc/hosts; grep search /etc/resolv.conf; nslookup svc")
                .assertOk().out();
        assertThat(out).contains(ip + "/24").contains("10.9.8.7\tdb").contains("search example.test").contains("Address: " + ip);
        assertThat(Cli.skiff(daemon, "network", "inspect", "-f", "{{.Name}} {{.Internal}}", "sk").assertOk().out())
                .isEqualTo("sk false");
        Cli.skiff(daemon, "network", "rm", "sk").assertOk();
    }

    @Test
    void auxiliaryAddresses_areShown_andNeverGivenToAContainer() {
        String subnet = TestNetworks.freeSubnet(29);
        String base = subnet.substring(0, subnet.lastIndexOf('.') + 1);
        int first = Integer.parseInt(subnet.substring(subnet.lastIndexOf('.') + 1, subnet.indexOf('/')));
        String reserved = base + (first + 2);
        docker(daemon, "network", "create", "--subnet", subnet, "--aux-address", "router=" + reserved, "auxnet").assertOk();
        try {
            assertThat(docker(daemon, "network", "inspect", "-f",
                    "{{json (index .IPAM.Config 0).AuxiliaryAddresses}}", "auxnet").assertOk().out())
                    .isEqualTo("{\"router\":\"" + reserved + "\"}");
            // the gateway takes .1, the reserved .2: the first container gets .3, as with dockerd
            assertThat(docker(daemon, "run", "--rm", "--network", "auxnet", "busybox", "sh", "-c",
                    "ip -o -4 addr show eth0").assertOk().out()).contains(base + (first + 3) + "/29");
            assertThat(docker(daemon, "run", "--rm", "--network", "auxnet", "--ip", reserved, "busybox", "true").stderr())
                    .contains("Address already in use");
        } finally {
            docker(daemon, "network", "rm", "auxnet");
        }
        String other = TestNetworks.freeSubnet(24);
        // the docker CLI pairs each address with a subnet itself; a client that does not gets libnetwork's words
        String body = "{\"Name\":\"auxbad\",\"IPAM\":{\"Config\":[{\"Subnet\":\"" + other
                + "\",\"AuxiliaryAddresses\":{\"x\":\"192.0.2.9\"}}]}}";
        assertThat(Cli.run(null, List.of("curl", "-s", "-X", "POST", "-H", "Content-Type: application/json", "-d", body,
                "--unix-socket", daemon.socket().toString(), "http://skiff/networks/create"), null).assertOk().stdout())
                .contains("auxiliary address: (x:192.0.2.9) must belong to the master pool: " + other);
        assertThat(Cli.skiff(daemon, "network", "create", "--subnet", other, "--aux-address",
                "r=" + other.replace(".0/24", ".9"), "auxsk").assertOk().out()).hasSize(64);
        assertThat(Cli.skiff(daemon, "network", "inspect", "-f", "{{json (index .IPAM.Config 0).AuxiliaryAddresses}}",
                "auxsk").assertOk().out()).isEqualTo("{\"r\":\"" + other.replace(".0/24", ".9") + "\"}");
        assertThat(Cli.skiff(daemon, "network", "create", "--subnet", other, "--aux-address", "r=192.0.2.9", "auxsk2")
                .stderr()).contains("no matching subnet for aux-address 192.0.2.9");
        Cli.skiff(daemon, "network", "rm", "auxsk").assertOk();
    }

    @Test
    void aStartWhoseWiringFails_saysWhy_andLeavesNothingBehind() throws Exception {
        // The interfaces are wired while runc creates the container; a driver failure must still be the error
        // the user reads, and the start must leave no namespace, runc container, conmon or address behind.
        // An MTU above 65535 passes network create (as with Docker) and fails in the bridge plugin at start.
        String subnet = TestNetworks.freeSubnet(24);
        docker(daemon, "network", "create", "--subnet", subnet, "-o", "com.docker.network.driver.mtu=70000", "badmtu")
                .assertOk();
        docker(daemon, "create", "--name", "unwired", "--network", "badmtu", "busybox", "true").assertOk();
        String id = docker(daemon, "inspect", "-f", "{{.Id}}", "unwired").assertOk().out();
        for (int attempt = 0; attempt < 2; attempt++) {
            Cli.Result start = docker(daemon, "start", "unwired");
            assertThat(start.exitCode()).isEqualTo(1);
            assertThat(start.stderr()).contains("CNI plugin bridge ADD failed").contains("invalid argument");
            assertThat(daemon.dir().resolve("run/netns/" + id)).doesNotExist();
            assertThat(daemon.dir().resolve("run/runc/" + id)).doesNotExist();
            assertThat(docker(daemon, "inspect", "-f",
                    "{{.State.Status}} {{.State.ExitCode}} [{{(index .NetworkSettings.Networks \"badmtu\").IPAddress}}]",
                    "unwired").assertOk().out()).isEqualTo("created 128 []");
        }
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(cmd -> cmd.contains("conmon") && cmd.contains(id))).as("no monitor left for the container").isEmpty();
        docker(daemon, "rm", "unwired").assertOk();
        docker(daemon, "network", "rm", "badmtu").assertOk();
    }

    @Test
    void aNetworkRemovedWhileContainersStartOnIt_isEitherKeptByThemOrFailsTheirStart() throws Exception {
        // the removal and the start race; whichever comes first, the other sees it (a container was left running
        // with no network, its records deleted and its bridge torn down under it)
        for (int i = 0; i < 8; i++) {
            String net = "racing" + i;
            docker(daemon, "network", "create", "--subnet", TestNetworks.freeSubnet(24), net).assertOk();
            Cli.Result[] run = new Cli.Result[1];
            Thread starter = Thread.ofPlatform().start(() ->
                    run[0] = docker(daemon, "run", "-d", "--name", net + "-c", "--network", net, "busybox", "sleep", "60"));
            Thread.sleep(i * 15L);
            Cli.Result rm = docker(daemon, "network", "rm", net);
            starter.join();
            Cli.Result inspect = docker(daemon, "inspect", "-f", "{{.State.Status}} {{len .NetworkSettings.Networks}}",
                    net + "-c");
            String state = inspect.exitCode() == 0 ? inspect.out() : "absent";
            if (rm.exitCode() == 0) {
                assertThat(run[0].exitCode()).as(run[0].stderr()).isNotZero();
                assertThat(run[0].stderr()).contains("network " + net + " not found");
                // refused at create, or made before the removal and refused at start
                assertThat(state).isIn("absent", "created 0");
            } else {
                assertThat(rm.stderr()).contains("has active endpoints (" + net + "-c;");
                run[0].assertOk();
                assertThat(state).isEqualTo("running 1");
                assertThat(docker(daemon, "exec", net + "-c", "ip", "-4", "-o", "addr", "show", "eth0").assertOk().out())
                        .contains("inet ");
            }
            docker(daemon, "rm", "-f", net + "-c");
            docker(daemon, "network", "rm", net);
        }
    }

    @Test
    void networkCommands_outputsAndErrors() {
        assertThat(docker(daemon, "network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}").assertOk().out().lines())
                .contains("bridge bridge local", "host host local", "none null local", "na bridge local");
        assertThat(docker(daemon, "network", "ls", "-q", "--filter", "label=test=net").assertOk().out()).hasSize(12);
        assertThat(docker(daemon, "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.Internal}}",
                "ni").assertOk().out()).isEqualTo(subnetI + " " + gateway(subnetI) + " true");
        assertThat(docker(daemon, "network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", "na").assertOk().out())
                .isEqualTo("srv");
        Cli.Result overlap = docker(daemon, "network", "create", "--subnet", subnetA, "dup");
        assertThat(overlap.exitCode()).isEqualTo(1);
        assertThat(overlap.stderr()).contains("Pool overlaps with other one on this address space");
        assertThat(docker(daemon, "network", "create", "na").stderr()).contains("network with name na already exists");
        assertThat(docker(daemon, "network", "create", "host").stderr())
                .contains("operation is not permitted on predefined host network");
        assertThat(docker(daemon, "network", "create", "-o", "com.docker.network.driver.mtu=abc", "badmtu").stderr())
                .contains("failed to parse com.docker.network.driver.mtu value: abc");
        // a run naming a missing network hears so, and the CLI does not take it for a missing image (a 404 from
        // create would make it pull busybox and show that pull's failure instead)
        Cli.Result noNet = docker(daemon, "run", "--rm", "--network", "nosuch", "busybox", "true");
        assertThat(noNet.exitCode()).isEqualTo(125);
        assertThat(noNet.stderr()).contains("network nosuch not found").doesNotContain("Unable to find image");
        assertThat(docker(daemon, "network", "inspect", "nosuch").stderr()).contains("network nosuch not found");
        assertThat(docker(daemon, "network", "connect", "nosuch", "srv").stderr()).contains("network nosuch not found");
        assertThat(docker(daemon, "network", "rm", "na").stderr()).contains("has active endpoints");
        assertThat(docker(daemon, "network", "rm", "bridge").stderr()).contains("bridge is a pre-defined network and cannot be removed");
        assertThat(docker(daemon, "run", "--rm", "--ip", "10.1.1.1", "busybox", "true").stderr())
                .contains("user specified IP address is supported only when connecting to networks with user configured subnets");
        // as Docker's: a stopped container does not hold its network; it cannot start without it
        docker(daemon, "network", "create", "--subnet", TestNetworks.freeSubnet(24), "gone").assertOk();
        docker(daemon, "create", "--name", "orphan", "--network", "gone", "busybox", "true").assertOk();
        docker(daemon, "network", "rm", "gone").assertOk();
        assertThat(docker(daemon, "start", "orphan").stderr()).contains("network gone not found");
        docker(daemon, "rm", "orphan").assertOk();
        // automatic subnets, prune
        docker(daemon, "network", "create", "--label", "auto=1", "auto1").assertOk();
        String auto = docker(daemon, "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", "auto1").assertOk().out();
        assertThat(auto).matches("(172\\.(1[7-9]|2\\d|3[01])\\.0\\.0/16|192\\.168\\.\\d+\\.0/20)");
        assertThat(docker(daemon, "network", "prune", "-f", "--filter", "label=auto").assertOk().out()).contains("auto1");
        assertThat(docker(daemon, "network", "inspect", "auto1").exitCode()).isNotZero();
        // nothing left to prune: dockerd's null list, not an empty one
        assertThat(Cli.run(null, List.of("curl", "-s", "-X", "POST", "--unix-socket", daemon.socket().toString(),
                "http://skiff/networks/prune?filters=%7B%22label%22%3A%5B%22auto%22%5D%7D"), null).assertOk().stdout())
                .isEqualTo("{\"NetworksDeleted\":null}\n");
    }

    @Test
    void aContainerGivenTheAddressOfOneRemoved_isReachedThroughItsPublishedPort_whileOthersKeepTheBridgeUp()
            throws Exception {
        int port = RegistryFixture.freePort();
        String serve = "mkdir /www && echo hello-again > /www/index.html && exec httpd -f -p 80 -h /www";
        try {
            for (int round = 1; round <= 2; round++) {
                docker(daemon, "run", "-d", "--name", "again", "--network", "na", "-p", port + ":80", "busybox", "sh", "-c",
                        serve).assertOk();
                // srv keeps the bridge up; both rounds get the same (lowest free) address
                assertThat(fetchOnce("127.0.0.1", port)).as("round " + round).contains("hello-again");
                assertThat(fetchOnce(ipOf("again", "na"), 80)).as("round " + round).contains("hello-again");
                docker(daemon, "rm", "-f", "again").assertOk();
            }
        } finally {
            docker(daemon, "rm", "-f", "again");
        }
    }

    static boolean hostHasIpv6() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv6/conf/default/disable_ipv6"))
                    .trim().equals("0");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** One GET of {@code url} from the host, retried for at most 3 s (a neighbour entry that ages out takes longer). */
    static String fetchOnce(String host, int port) throws Exception {
        return fetchOnce(host, port, "/index.html");
    }

    /** As {@link #fetchOnce(String, int)}, for {@code path}. */
    static String fetchOnce(String host, int port, String path) throws Exception {
        long deadline = System.nanoTime() + 3_000_000_000L;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                s.setSoTimeout(1000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (reply.contains("200")) {
                    return reply;
                }
                last = new java.io.IOException(reply);
            } catch (java.io.IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no answer from " + host + ":" + port + " in 3 s", last);
    }

    @Test
    void dualStackNetwork_givesIpv6Addresses_names_andPublishedPorts_andItsAddressesServeTheirNextHolder()
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hostHasIpv6(), "the host has IPv6 turned off");
        String v4 = TestNetworks.freeSubnet(24);
        String v6 = "fd" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10, 0xff))
                + ":" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 0xffff)) + "::/64";
        String prefix6 = v6.replace("::/64", "::");
        docker(daemon, "network", "create", "--ipv6", "--subnet", v4, "--subnet", v6, "n6").assertOk();
        try {
            assertThat(docker(daemon, "network", "inspect", "-f", "{{.EnableIPv6}} {{json .IPAM.Config}}", "n6").assertOk().out())
                    .isEqualTo("true [{\"Subnet\":\"" + v4 + "\",\"Gateway\":\"" + gateway(v4) + "\"},{\"Subnet\":\"" + v6
                            + "\",\"Gateway\":\"" + prefix6 + "1\"}]");
            int port = RegistryFixture.freePort();
            String serve = "mkdir -p /www/cgi-bin && echo hello-v6 > /www/index.html"
                    + " && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' > /www/cgi-bin/ip"
                    + " && chmod +x /www/cgi-bin/ip && exec httpd -f -p 80 -h /www";
            docker(daemon, "run", "-d", "--name", "srv6", "--network", "n6", "-p", port + ":80", "busybox", "sh", "-c",
                    serve).assertOk();
            assertThat(docker(daemon, "inspect", "-f", "{{.NetworkSettings.Networks.n6.GlobalIPv6Address}}/"
                    + "{{.NetworkSettings.Networks.n6.GlobalIPv6PrefixLen}} {{.NetworkSettings.Networks.n6.IPv6Gateway}}",
                    "srv6").assertOk().out()).isEqualTo(prefix6 + "2/64 " + prefix6 + "1");
            Cli.Result client = docker(daemon, "run", "--rm", "--network", "n6", "--ip6", prefix6 + "99", "busybox", "sh", "-c",
                    "ip -6 addr show eth0; grep " + prefix6 + " /etc/hosts; ping -6 -c 1 -W 2 srv6"
                            + " && nslookup -type=AAAA srv6 127.0.0.11 && nslookup " + prefix6 + "2 127.0.0.11");
            assertThat(client.assertOk().out()).contains(prefix6 + "99/64").contains(prefix6 + "99\t")
                    .contains("1 packets received").contains("Address: " + prefix6 + "2").contains("srv6.n6");
            assertThat(fetchOnce("127.0.0.1", port)).contains("hello-v6");
            // over IPv6 the port is NATed to the container's IPv6 address, the client's address kept (a host address
            // here: the bridge's own); ::1 goes through the daemon's relay, which the kernel cannot route out
            assertThat(fetchOnce(prefix6 + "1", port, "/cgi-bin/ip")).contains(prefix6 + "1");
            assertThat(fetchOnce("::1", port)).contains("hello-v6");
            // the next container given the same addresses is reached there, not at the MAC of the one before (while
            // another container keeps the bridge up, the host keeps its neighbour entries)
            docker(daemon, "run", "-d", "--name", "keeper6", "--network", "n6", "busybox", "sleep", "300").assertOk();
            assertThat(fetchOnce(prefix6 + "2", 80)).contains("hello-v6");
            docker(daemon, "rm", "-f", "srv6").assertOk();
            docker(daemon, "run", "-d", "--name", "srv6", "--network", "n6", "-p", port + ":80", "busybox", "sh", "-c",
                    serve).assertOk();
            assertThat(docker(daemon, "inspect", "-f", "{{.NetworkSettings.Networks.n6.IPAddress}}", "srv6").out())
                    .isEqualTo(gateway(v4).replaceAll("\\.1$", ".2"));
            assertThat(fetchOnce("127.0.0.1", port)).contains("hello-v6");
            assertThat(fetchOnce(prefix6 + "2", 80)).contains("hello-v6");
            assertThat(TestNetworks.run("ip6tables-save")).contains("-s " + v6);

            Cli.Result auto = docker(daemon, "network", "create", "--ipv6", "n6auto").assertOk();
            assertThat(docker(daemon, "network", "inspect", "-f", "{{(index .IPAM.Config 1).Subnet}}", "n6auto").out())
                    .matches("fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/64");
            docker(daemon, "network", "rm", auto.out()).assertOk();
            Cli.Result refused = docker(daemon, "network", "create", "--subnet", "fd00:1234::/64", "nov6");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("add --ipv6");
            Cli.Result noV6 = docker(daemon, "run", "--rm", "--network", "na", "--ip6", prefix6 + "5", "busybox", "true");
            assertThat(noV6.stderr()).contains("network na has no IPv6");
        } finally {
            docker(daemon, "rm", "-f", "srv6", "keeper6");
            docker(daemon, "network", "rm", "n6");
        }
        assertThat(TestNetworks.run("ip6tables-save")).doesNotContain("-s " + v6);
    }
}

