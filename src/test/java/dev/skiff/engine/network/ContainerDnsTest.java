package dev.skiff.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerDnsTest {
    @TempDir
    Path tmp;

    @Test
    void resolvLines_serversAndTheLastSearchLine() throws Exception {
        Path f = tmp.resolve("resolv.conf");
        Files.writeString(f, "# comment\nnameserver 127.0.0.53\nnameserver 10.0.0.2 extra\nnameserver fe80::1\n"
                + "search old.example\nsearch a.example b.example\noptions edns0\n");
        assertThat(ContainerDns.resolvLines(f, "nameserver")).containsExactly("127.0.0.53", "10.0.0.2");
        assertThat(ContainerDns.resolvLines(f, "search")).containsExactly("a.example", "b.example");
        assertThat(ContainerDns.resolvLines(tmp.resolve("missing"), "nameserver")).isEmpty();
    }
}
