package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.cli.commands.CliFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker contexts as the docker 28 CLI stores and picks them (checked with `docker context create` on this machine). */
class ContextsTest {
    @Test
    void aContextsDockerEndpoint_isTheHost(@TempDir Path config) throws Exception {
        Path meta = config.resolve("contexts/meta").resolve(sha256("remote"));
        Files.createDirectories(meta);
        Files.writeString(meta.resolve("meta.json"),
                "{\"Name\":\"remote\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"unix:///tmp/r.sock\",\"SkipTLSVerify\":false}}}");
        Map<String, String> env = Map.of("DOCKER_CONFIG", config.toString());
        assertThat(Contexts.host(null, "remote", env)).isEqualTo("unix:///tmp/r.sock");
        assertThat(Contexts.host(null, null, Map.of("DOCKER_CONFIG", config.toString(), "DOCKER_CONTEXT", "remote")))
                .isEqualTo("unix:///tmp/r.sock");
        // DOCKER_HOST wins over DOCKER_CONTEXT; "default" is the usual order; -H alone is -H
        assertThat(Contexts.host(null, null, Map.of("DOCKER_CONTEXT", "remote", "DOCKER_HOST", "unix:///d.sock"))).isNull();
        assertThat(Contexts.host(null, "default", env)).isNull();
        assertThat(Contexts.host("unix:///h.sock", null, env)).isEqualTo("unix:///h.sock");
        // `docker context use remote` writes currentContext into config.json
        Files.writeString(config.resolve("config.json"), "{\n\t\"currentContext\": \"remote\"\n}");
        assertThat(Contexts.host(null, null, env)).isEqualTo("unix:///tmp/r.sock");
        assertThat(Contexts.host(null, null, Map.of("DOCKER_CONFIG", config.toString(), "DOCKER_HOST", "unix:///d.sock"))).isNull();
    }

    @Test
    void unknownContexts_andHostWithContext_areDockersErrors(@TempDir Path config) {
        Map<String, String> env = Map.of("DOCKER_CONFIG", config.toString());
        assertThatThrownBy(() -> Contexts.host(null, "bogus", env)).isInstanceOf(CliFailure.class).hasMessage(
                "Failed to initialize: unable to resolve docker endpoint: context \"bogus\": context not found: open "
                        + config.resolve("contexts/meta/f3c16f525a1b7c204fc953d6d7db7168d84ebf4902f83c3a37d113b18c28981f/meta.json")
                        + ": no such file or directory");
        assertThatThrownBy(() -> Contexts.host("unix:///x", "default", env))
                .hasMessage("conflicting options: cannot specify both --host and --context");
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
