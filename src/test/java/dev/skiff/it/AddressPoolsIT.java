package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** daemon.json's default-address-pools: networks created without --subnet take theirs from the configured pool. */
class AddressPoolsIT {
    @Test
    void networksGivenNoSubnet_takeTheNextSubnetOfTheConfiguredPool() throws Exception {
        String pool = TestNetworks.freeSubnet(20);
        String prefix = pool.substring(0, pool.lastIndexOf('.', pool.indexOf('/')));
        int third = Integer.parseInt(prefix.substring(prefix.lastIndexOf('.') + 1));
        String net = prefix.substring(0, prefix.lastIndexOf('.'));
        try (SkiffdProcess d = SkiffdProcess.startWithBusybox()) {
            d.config("{\"default-address-pools\": [{\"base\": \"" + pool + "\", \"size\": 24}]}");
            d.stop();
            d.launch();
            try {
                docker(d, "network", "create", "pool-a").assertOk();
                docker(d, "network", "create", "pool-b").assertOk();
                assertThat(docker(d, "network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "pool-a").assertOk()
                        .out()).isEqualTo(net + "." + third + ".0/24");
                assertThat(docker(d, "network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "pool-b").assertOk()
                        .out()).isEqualTo(net + "." + (third + 1) + ".0/24");
                assertThat(docker(d, "run", "--rm", "--network", "pool-b", "busybox", "sh", "-c",
                        "ip -4 -o addr show eth0").assertOk().out()).contains(net + "." + (third + 1) + ".2/24");
            } finally {
                docker(d, "network", "rm", "pool-a", "pool-b");
            }
        }
    }
}
