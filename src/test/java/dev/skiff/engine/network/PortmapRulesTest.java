package dev.skiff.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.network.ports.PortBinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortmapRulesTest {
    @Test
    void chainName_isPortmapsOwn() {
        // printf 'netabc' | sha512sum: the plugin's "CNI-DN-" and the hash of the network name and container id
        assertThat(PortmapRules.chainName("net", "abc")).isEqualTo("CNI-DN-3ce8a0924fdef86d56ad1");
    }

    private static final List<String> LISTING = List.of(
            "-N CNI-DN-x",
            "-A CNI-DN-x -s 10.33.0.0/24 -p tcp -m tcp --dport 18080 -j CNI-HOSTPORT-SETMARK",
            "-A CNI-DN-x -s 127.0.0.1/32 -p tcp -m tcp --dport 18080 -j CNI-HOSTPORT-SETMARK",
            "-A CNI-DN-x -p tcp -m tcp --dport 18080 -j DNAT --to-destination 10.33.0.4:80",
            "-A CNI-DN-x -d 127.0.0.1/32 -p udp -m udp --dport 5353 -j DNAT --to-destination 10.33.0.4:53");

    @Test
    void missing_nothing_whenEveryMappingHasItsDnatRule() {
        assertThat(PortmapRules.missing(LISTING, List.of(new PortBinding("tcp", 80, "", 18080),
                new PortBinding("udp", 53, "127.0.0.1", 5353)), "10.33.0.4")).isNull();
    }

    @Test
    void missing_namesTheMappingWithoutARule() {
        assertThat(PortmapRules.missing(LISTING, List.of(new PortBinding("tcp", 81, "", 18081)), "10.33.0.4"))
                .isEqualTo("no DNAT rule for tcp port 18081 to 10.33.0.4:81");
        assertThat(PortmapRules.missing(LISTING, List.of(new PortBinding("tcp", 80, "", 18080)), "10.33.0.5"))
                .contains("10.33.0.5:80");
    }

    @Test
    void missing_skipsBindingsToAnIpv6HostAddress_whichHaveNoIpv4Rule() {
        assertThat(PortmapRules.missing(List.of(), List.of(new PortBinding("tcp", 80, "::1", 8080)), "10.33.0.4")).isNull();
    }
}
