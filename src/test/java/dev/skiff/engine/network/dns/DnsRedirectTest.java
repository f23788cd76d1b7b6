package dev.skiff.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The redirect of 127.0.0.11:53 to the embedded server's ports, as iptables-restore input. */
class DnsRedirectTest {
    @Test
    void rules_redirectBothProtocols_andAnswerFromPort53() {
        String fresh = DnsRedirect.rules(40001, 40002, true);
        assertThat(fresh).isEqualTo("""
                *nat
                :SKIFF_DNS_OUTPUT - [0:0]
                :SKIFF_DNS_POSTROUTING - [0:0]
                -A OUTPUT -d 127.0.0.11/32 -j SKIFF_DNS_OUTPUT
                -A POSTROUTING -d 127.0.0.11/32 -j SKIFF_DNS_POSTROUTING
                -A SKIFF_DNS_OUTPUT -d 127.0.0.11/32 -p udp --dport 53 -j DNAT --to-destination 127.0.0.11:40001
                -A SKIFF_DNS_OUTPUT -d 127.0.0.11/32 -p tcp --dport 53 -j DNAT --to-destination 127.0.0.11:40002
                -A SKIFF_DNS_POSTROUTING -s 127.0.0.11/32 -p udp --sport 40001 -j SNAT --to-source :53
                -A SKIFF_DNS_POSTROUTING -s 127.0.0.11/32 -p tcp --sport 40002 -j SNAT --to-source :53
                COMMIT
                """);
        String again = DnsRedirect.rules(40003, 40004, false);
        assertThat(again).doesNotContain("-A OUTPUT", "-A POSTROUTING").contains("127.0.0.11:40003", "--sport 40004");
    }
}
