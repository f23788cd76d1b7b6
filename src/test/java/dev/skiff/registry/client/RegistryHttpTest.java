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
        // a registry killed in the middle of a push's upload
        assertThat(RegistryHttp.describe(new IOException("HTTP/1.1 header parser received no bytes")))
                .isEqualTo("the registry closed the connection without answering (did it stop or restart? try again)");
    }
}
