package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcFilesTest {
    private static final List<String> HOST = List.of("# host file", "nameserver 10.0.0.2", "search corp.example",
            "options timeout:2");

    /** Written 0644 (every user in the container reads them), and files an older version wrote 0600 are mended. */
    @Test
    void theFiles_areReadableByEveryUser_andOldOnesAreMadeSo(@TempDir Path dir) throws Exception {
        EtcFiles etc = EtcFiles.in(dir);
        for (Path p : List.of(etc.hostname(), etc.hosts(), etc.resolvConf())) {
            Files.writeString(p, "old\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
        etc.makeReadable();
        for (Path p : List.of(etc.hostname(), etc.hosts(), etc.resolvConf())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-r--r--");
        }
    }

    @Test
    void hosts_dockersLines_extraHosts_thenTheContainer() {
        String h = EtcFiles.hostsFile("abc123", "", "172.18.0.2", List.of("db:10.1.1.1", "gw=host-gateway", "v6:[::1]"),
                "172.17.0.1");
        assertThat(h).startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                .endsWith("10.1.1.1\tdb\n172.17.0.1\tgw\n::1\tv6\n172.18.0.2\tabc123\n");
    }

    @Test
    void hosts_onADualStackNetwork_listTheIpv6AddressToo() {
        assertThat(EtcFiles.hostsFile("web", "example.org", "10.0.0.5", "fd00:5::2", List.of(), ""))
                .endsWith("10.0.0.5\tweb.example.org web\nfd00:5::2\tweb.example.org web\n");
    }

    @Test
    void hosts_withDomain_namesTheFqdnFirst() {
        assertThat(EtcFiles.hostsFile("web", "example.org", "10.0.0.5", List.of(), "")).endsWith("10.0.0.5\tweb.example.org web\n");
    }

    @Test
    void hosts_noAddress_noOwnLine() {
        assertThat(EtcFiles.hostsFile("web", "", null, List.of(), "")).doesNotContain("web");
    }

    @Test
    void extraHost_badInput_isRefused() {
        for (String bad : List.of("nocolon", ":1.2.3.4", "name:", "name:not-an-ip", "x".repeat(2000))) {
            assertThatThrownBy(() -> EtcFiles.parseExtraHost(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
        assertThatThrownBy(() -> EtcFiles.hostsFile("h", "", null, List.of("gw:host-gateway"), ""))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("host-gateway");
    }

    @Test
    void resolv_hostsLines_byDefault() {
        assertThat(EtcFiles.render(HOST, EtcFiles.DnsSettings.NONE, false))
                .isEqualTo("# host file\nnameserver 10.0.0.2\nsearch corp.example\noptions timeout:2\n");
    }

    @Test
    void resolv_dnsFlags_replaceTheirKind() {
        String r = EtcFiles.render(HOST, new EtcFiles.DnsSettings(List.of("1.1.1.1"), List.of("a.example", "b.example"),
                List.of("ndots:3")), false);
        assertThat(r).isEqualTo("# host file\nnameserver 1.1.1.1\nsearch a.example b.example\noptions ndots:3\n");
    }

    @Test
    void daemonDns_overTheHostsFile_isWhatContainersStartFrom(@TempDir Path dir) throws Exception {
        Path host = dir.resolve("resolv.conf");
        java.nio.file.Files.write(host, HOST);
        String daemon = EtcFiles.withDaemonDns(host, new EtcFiles.DnsSettings(List.of("192.0.2.53"), List.of(), List.of()));
        assertThat(daemon).isEqualTo("# host file\nsearch corp.example\noptions timeout:2\nnameserver 192.0.2.53\n");
        java.nio.file.Files.writeString(host, daemon);
        // a container with its own --dns-search keeps the daemon's server
        assertThat(EtcFiles.resolv(host, new EtcFiles.DnsSettings(List.of(), List.of("x.example"), List.of()), false))
                .contains("nameserver 192.0.2.53").contains("search x.example").doesNotContain("corp.example");
    }

    @Test
    void resolv_embeddedDns_asDockerWritesItForUserNetworks() {
        String r = EtcFiles.render(HOST, EtcFiles.DnsSettings.NONE, true);
        assertThat(r).isEqualTo("# host file\nsearch corp.example\nnameserver 127.0.0.11\noptions timeout:2 ndots:0\n");
    }

    @Test
    void resolv_withoutAnyServer_fallsBackToGooglesAsDockerDoes() {
        assertThat(EtcFiles.render(List.of(), EtcFiles.DnsSettings.NONE, false)).isEqualTo("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    }
}
