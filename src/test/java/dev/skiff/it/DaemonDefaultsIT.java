package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What daemon.json sets for every container and network: default-address-pools (networks created without --subnet);
 * dns, dns-search, dns-opts, default-ulimits, default-shm-size, init, no-new-privileges, default-ipc-mode, default-cgroupns-mode
 * and cgroup-parent (containers that give none of their own); labels (docker info); mtu, icc and ip (the default bridge).
 */
class DaemonDefaultsIT {
    static final String CGROUP_PARENT = "/skiff-it-parent-" + ProcessHandle.current().pid();
    static SkiffdProcess d;
    static String pool;

    @BeforeAll
    static void start() throws Exception {
        pool = TestNetworks.freeSubnet(20);
        d = SkiffdProcess.startWithBusybox();
        // a profile that allows everything but mkdir: what a site's own seccomp-profile looks like, simplified
        java.nio.file.Files.writeString(d.dir().resolve("seccomp.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
                + " \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
        d.config("{\"default-address-pools\": [{\"base\": \"" + pool + "\", \"size\": 24}],"
                + " \"dns\": [\"192.0.2.53\"], \"dns-search\": [\"corp.example\"], \"dns-opts\": [\"timeout:3\"],"
                + " \"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 1000, \"Hard\": 1000}},"
                + " \"default-shm-size\": \"96M\", \"init\": true, \"no-new-privileges\": true, \"labels\": [\"env=test\"],"
                + " \"live-restore\": true, \"mtu\": 1400, \"icc\": false,"
                + " \"default-ipc-mode\": \"shareable\", \"default-cgroupns-mode\": \"private\","
                + " \"seccomp-profile\": \"" + d.dir().resolve("seccomp.json") + "\", \"ip\": \"127.0.0.1\","
                + " \"cgroup-parent\": \"" + CGROUP_PARENT + "\"}");
        d.stop();
        d.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (d != null) {
            d.close();
        }
        // runc removes each container's cgroup, not the parent the daemon was told to use: rmdir it everywhere
        try (var hierarchies = java.nio.file.Files.list(java.nio.file.Path.of("/sys/fs/cgroup"))) {
            for (java.nio.file.Path h : hierarchies.toList()) {
                try {
                    java.nio.file.Files.deleteIfExists(h.resolve(CGROUP_PARENT.substring(1)));
                    java.nio.file.Files.deleteIfExists(h.resolve(CGROUP_PARENT.substring(1) + "-own"));
                } catch (java.io.IOException e) {
                    // not a hierarchy, or busy: nothing more a test can do
                }
            }
        }
    }

    @Test
    void theDaemonsCgroupParent_isWhereContainersGoUnlessTheyNameOne() {
        // in the host's cgroup namespace, where the path shows (this daemon's default is private)
        String own = docker(d, "run", "--rm", "--network", "none", "--cgroupns", "host", "busybox", "cat",
                "/proc/self/cgroup").assertOk().out();
        assertThat(own).contains("memory:" + CGROUP_PARENT + "/");
        String named = docker(d, "run", "--rm", "--network", "none", "--cgroupns", "host", "--cgroup-parent",
                CGROUP_PARENT + "-own", "busybox", "cat", "/proc/self/cgroup").assertOk().out();
        assertThat(named).contains("memory:" + CGROUP_PARENT + "-own/");
    }

    @Test
    void networksGivenNoSubnet_takeTheNextSubnetOfTheConfiguredPool() {
        String prefix = pool.substring(0, pool.lastIndexOf('.', pool.indexOf('/')));
        int third = Integer.parseInt(prefix.substring(prefix.lastIndexOf('.') + 1));
        String net = prefix.substring(0, prefix.lastIndexOf('.'));
        try {
            docker(d, "network", "create", "pool-a").assertOk();
            docker(d, "network", "create", "pool-b").assertOk();
            assertThat(docker(d, "network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "pool-a").assertOk()
                    .out()).isEqualTo(net + "." + third + ".0/24");
            assertThat(docker(d, "network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "pool-b").assertOk()
                    .out()).isEqualTo(net + "." + (third + 1) + ".0/24");
            String inside = docker(d, "run", "--rm", "--network", "pool-b", "busybox", "sh", "-c",
                    "ip -4 -o addr show eth0; cat /etc/resolv.conf").assertOk().out();
            assertThat(inside).contains(net + "." + (third + 1) + ".2/24");
            // a user network's containers ask the embedded server, which forwards to the daemon's DNS server
            assertThat(inside).contains("nameserver 127.0.0.11").contains("search corp.example");
        } finally {
            docker(d, "network", "rm", "pool-a", "pool-b");
        }
    }

    @Test
    void theDaemonsDns_isEveryContainersThatGivesNone() {
        String resolv = docker(d, "run", "--rm", "--network", "none", "busybox", "cat", "/etc/resolv.conf").assertOk().out();
        assertThat(resolv).contains("nameserver 192.0.2.53").contains("search corp.example").contains("timeout:3");
        String own = docker(d, "run", "--rm", "--network", "none", "--dns", "192.0.2.54", "busybox", "cat",
                "/etc/resolv.conf").assertOk().out();
        assertThat(own).contains("nameserver 192.0.2.54").doesNotContain("192.0.2.53");
    }

    @Test
    void theDaemonsUlimitsShmInitAndNoNewPrivileges_areEveryContainersThatSaysNothing() {
        String inside = docker(d, "run", "--rm", "--network", "none", "busybox", "sh", "-c",
                "ulimit -n; df -k /dev/shm | tail -1; cat /proc/1/cmdline | tr '\\0' ' '; echo; grep NoNewPrivs /proc/self/status")
                .assertOk().out();
        assertThat(inside.lines().toList().getFirst()).isEqualTo("1000");
        assertThat(inside).contains(" 98304 ").contains("docker-init").containsPattern("NoNewPrivs:\\s+1");
        String own = docker(d, "run", "--rm", "--network", "none", "--ulimit", "nofile=500:500", "--init=false",
                "--security-opt", "no-new-privileges=false", "busybox", "sh", "-c",
                "ulimit -n; cat /proc/1/cmdline | tr '\\0' ' '; echo; grep NoNewPrivs /proc/self/status").assertOk().out();
        assertThat(own.lines().toList().getFirst()).isEqualTo("500");
        assertThat(own).doesNotContain("docker-init").containsPattern("NoNewPrivs:\\s+0");
        assertThat(docker(d, "info", "--format", "{{.Labels}}").assertOk().out()).isEqualTo("[env=test]");
        docker(d, "create", "--name", "modes", "busybox", "true").assertOk();
        assertThat(docker(d, "inspect", "-f", "{{.HostConfig.IpcMode}} {{.HostConfig.CgroupnsMode}}", "modes").assertOk()
                .out()).isEqualTo("shareable private");
        docker(d, "rm", "modes").assertOk();
    }

    @Test
    void theDefaultBridge_takesTheDaemonsMtu_andWithoutIcc_itsContainersDoNotReachEachOther() {
        docker(d, "run", "-d", "--name", "icc-a", "busybox", "sleep", "60").assertOk();
        try {
            String ip = docker(d, "inspect", "-f", "{{.NetworkSettings.IPAddress}}", "icc-a").assertOk().out();
            String b = docker(d, "run", "--rm", "busybox", "sh", "-c",
                    "ip link show eth0; ping -c 1 -W 1 " + ip + " >/dev/null 2>&1 && echo reached || echo unreachable")
                    .assertOk().out();
            assertThat(b).contains("mtu 1400").endsWith("unreachable");
            assertThat(docker(d, "network", "inspect", "-f", "{{index .Options \"com.docker.network.bridge.enable_icc\"}}",
                    "bridge").assertOk().out()).isEqualTo("false");
        } finally {
            docker(d, "rm", "-f", "icc-a");
        }
    }

    @Test
    void theDaemonsSeccompProfile_isEveryContainersThatNamesNone() {
        Cli.Result denied = docker(d, "run", "--rm", "--network", "none", "busybox", "mkdir", "/made");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).contains("Operation not permitted");
        docker(d, "run", "--rm", "--network", "none", "--security-opt", "seccomp=unconfined", "busybox", "mkdir", "/made")
                .assertOk();
        assertThat(docker(d, "info", "--format", "{{.SecurityOptions}}").assertOk().out())
                .isEqualTo("[name=seccomp,profile=" + d.dir().resolve("seccomp.json") + "]");
    }

    @Test
    void theDaemonsIp_isWhereTheDefaultBridgesPortsAreGivenNoAddress() {
        docker(d, "run", "-d", "--name", "pub", "-p", "80", "busybox", "sleep", "60").assertOk();
        docker(d, "network", "create", "pub-net").assertOk();
        try {
            assertThat(docker(d, "port", "pub", "80").assertOk().out()).startsWith("127.0.0.1:");
            assertThat(docker(d, "network", "inspect", "-f",
                    "{{index .Options \"com.docker.network.bridge.host_binding_ipv4\"}}", "bridge").assertOk().out())
                    .isEqualTo("127.0.0.1");
            // a user network's ports keep every address, as with dockerd
            docker(d, "run", "-d", "--name", "pub-user", "--network", "pub-net", "-p", "80", "busybox", "sleep", "60")
                    .assertOk();
            assertThat(docker(d, "port", "pub-user", "80").assertOk().out()).startsWith("0.0.0.0:");
        } finally {
            docker(d, "rm", "-f", "pub", "pub-user");
            docker(d, "network", "rm", "pub-net");
        }
    }
}
