package dev.skiff.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class RegistryHttpTest {
    @Test
    void describe_unwrapsAFailedRequestBody_toItsOwnMessage() {
        IOException body = new IOException("layer sha256:ab cannot be used: build it again");
        IOException wrapped = new IOException(body.toString(), new RuntimeException(body.toString(), body));
        assertThat(RegistryHttp.describe(wrapped)).isEqualTo("layer sha256:ab cannot be used: build it again");
        assertThat(RegistryHttp.describe(new IOException("broken pipe"))).isEqualTo("broken pipe");
        assertThat(RegistryHttp.describe(new ConnectException())).isEqualTo("connection refused");
    }
}
