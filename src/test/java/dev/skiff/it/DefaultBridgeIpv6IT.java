package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** dockerd's "ipv6": true for the default bridge, turned on and off across daemon restarts. */
class DefaultBridgeIpv6IT {
    @Test
    void theDefaultBridge_getsIpv6WithTheSetting_andLosesItWithout() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NetworkIT.hostHasIpv6(), "the host has IPv6 turned off");
        try (SkiffdProcess daemon = SkiffdProcess.startWithBusybox()) {
            daemon.config("{\"ipv6\": true}");
            daemon.stop();
            daemon.launch();
            assertThat(docker(daemon, "network", "inspect", "-f", "{{.EnableIPv6}} {{(index .IPAM.Config 1).Subnet}}",
                    "bridge").assertOk().out()).matches("true fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/64");
            docker(daemon, "run", "-d", "--name", "six", "busybox", "sleep", "300").assertOk();
            String v6 = docker(daemon, "inspect", "-f", "{{.NetworkSettings.GlobalIPv6Address}}", "six").assertOk().out();
            String gw = docker(daemon, "inspect", "-f", "{{.NetworkSettings.IPv6Gateway}}", "six").assertOk().out();
            assertThat(v6).endsWith("::2");
            assertThat(gw).endsWith("::1");
            assertThat(docker(daemon, "exec", "six", "ping", "-6", "-c", "1", "-W", "2", gw).assertOk().out())
                    .contains("1 packets received");
            docker(daemon, "rm", "-f", "six").assertOk();

            daemon.config("{}");
            daemon.stop();
            daemon.launch();
            assertThat(docker(daemon, "network", "inspect", "-f", "{{.EnableIPv6}}", "bridge").assertOk().out())
                    .isEqualTo("false");
            assertThat(TestNetworks.run("ip6tables-save")).as("its IPv6 rules went with it").doesNotContain(daemon.bridge());
            assertThat(TestNetworks.run("ip", "-6", "addr", "show", "dev", daemon.bridge())).doesNotContain("global");
            assertThat(docker(daemon, "run", "--rm", "busybox", "sh", "-c", "ip -6 addr show eth0 | grep -c global || true")
                    .assertOk().out()).isEqualTo("0");
        }
    }
}
