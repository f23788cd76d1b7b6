package dev.skiff.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryAddressTest {
    private static RegistryOptions options(Set<String> insecure, List<URI> mirrors) {
        RegistryOptions d = RegistryOptions.defaults();
        return new RegistryOptions(insecure, mirrors, d.certsRoot(), d.connectTimeout(), 3, 5);
    }

    @Test
    void plainHttp_onlyForLoopbackAndInsecureRegistries() {
        RegistryOptions o = options(Set.of("reg.lan:5000", "other.lan"), List.of());
        assertThat(o.allowsPlainHttp("localhost:5000")).isTrue();
        assertThat(o.allowsPlainHttp("127.0.0.1:41234")).isTrue();
        assertThat(o.allowsPlainHttp("[::1]:5000")).isTrue();
        assertThat(o.allowsPlainHttp("reg.lan:5000")).isTrue();
        assertThat(o.allowsPlainHttp("other.lan:443")).isTrue();
        assertThat(o.allowsPlainHttp("reg.lan:5001")).isFalse();
        assertThat(o.allowsPlainHttp("registry-1.docker.io")).isFalse();
    }

    @Test
    void dockerHub_isServedByRegistry1_andMirrorsComeFirst() {
        RegistryHttp http = new RegistryHttp(options(Set.of(), List.of(URI.create("https://mirror.lan/"))));
        assertThat(RegistryHttp.endpointHost("docker.io")).isEqualTo("registry-1.docker.io");
        assertThat(RegistryHttp.endpointHost("quay.io")).isEqualTo("quay.io");
        assertThat(http.pullBases("docker.io")).extracting(URI::toString)
                .containsExactly("https://mirror.lan", "https://registry-1.docker.io");
        assertThat(http.pullBases("quay.io")).extracting(URI::toString).containsExactly("https://quay.io");
    }

    @Test
    void loginAddresses_normalizeLikeDocker() {
        assertThat(RegistryClient.registryHost("")).isEqualTo("docker.io");
        assertThat(RegistryClient.registryHost("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(RegistryClient.registryHost("localhost:5000")).isEqualTo("localhost:5000");
        assertThat(RegistryClient.registryHost("http://127.0.0.1:5000/v2/")).isEqualTo("127.0.0.1:5000");
    }
}
