package dev.skiff.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryConfigTest {
    @TempDir
    Path dir;

    @Test
    void load_readsYamlAndFlagsOverrideIt() throws Exception {
        Path f = dir.resolve("r.yaml");
        Files.writeString(f, """
                addr: 127.0.0.1:5001
                root: /srv/registry
                readOnly: true
                auth:
                  htpasswd: /etc/r/htpasswd
                  token: {key: /etc/r/key, service: svc}
                tls: {cert: /c.pem, key: /k.pem}
                proxy: {url: "http://up:5000", username: u, password: p}
                gc: {interval: 30m, grace: 2h}
                """);
        RegistryConfig c = RegistryConfig.load(f);
        assertThat(c.addr()).isEqualTo("127.0.0.1:5001");
        assertThat(c.root()).isEqualTo(Path.of("/srv/registry"));
        assertThat(c.readOnly()).isTrue();
        assertThat(c.htpasswd()).isEqualTo(Path.of("/etc/r/htpasswd"));
        assertThat(c.tokenKey()).isEqualTo(Path.of("/etc/r/key"));
        assertThat(c.tokenService()).isEqualTo("svc");
        assertThat(c.tlsKey()).isEqualTo(Path.of("/k.pem"));
        assertThat(c.proxyUrl()).isEqualTo("http://up:5000");
        assertThat(c.gcInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.graceOrDefault()).isEqualTo(Duration.ofHours(2));

        RegistryConfig flags = new RegistryConfig(":6000", null, null, null, null, null, null, null, null, false, null,
                null, null, null, null);
        RegistryConfig merged = c.overriddenBy(flags);
        assertThat(merged.addr()).isEqualTo(":6000");
        assertThat(merged.readOnly()).isFalse();
        assertThat(merged.root()).isEqualTo(Path.of("/srv/registry"));
    }

    @Test
    void load_readsJsonToo() throws Exception {
        Path f = dir.resolve("r.json");
        Files.writeString(f, "{\"root\": \"/x\", \"auth\": {\"htpasswd\": \"/h\"}}");
        RegistryConfig c = RegistryConfig.load(f);
        assertThat(c.root()).isEqualTo(Path.of("/x"));
        assertThat(c.addrOrDefault()).isEqualTo(":5000");
        assertThat(c.graceOrDefault()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void durationsAndAddresses() {
        assertThat(RegistryConfig.duration("0s")).isZero();
        assertThat(RegistryConfig.duration("7d")).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> RegistryConfig.duration("soon")).isInstanceOf(IllegalArgumentException.class);
        assertThat(RegistryServer.socketAddress(":5000").getPort()).isEqualTo(5000);
        assertThat(RegistryServer.socketAddress("127.0.0.1:0").getHostString()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> RegistryServer.socketAddress("nohost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryServer.socketAddress("h:99999")).isInstanceOf(IllegalArgumentException.class);
    }
}
