package dev.skiff.sys.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.sys.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void auths_storeAsBase64UserColonPassword_keepOtherKeys_andErase() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"detachKeys\":\"ctrl-x\"}");
        DockerConfigFile config = new DockerConfigFile(dir);
        config.store("localhost:5000", new AuthEntry("me", "p:w"));
        config.store("docker.io", new AuthEntry("hub", "h"));
        var root = Json.MAPPER.readTree(dir.resolve("config.json").toFile());
        assertThat(root.path("detachKeys").asText()).isEqualTo("ctrl-x");
        assertThat(root.path("auths").path("localhost:5000").path("auth").asText()).isEqualTo("bWU6cDp3");
        assertThat(root.path("auths").has(DockerConfigFile.DOCKER_HUB_KEY)).isTrue();
        assertThat(config.get("localhost:5000")).contains(new AuthEntry("me", "p:w"));
        assertThat(config.get("index.docker.io")).contains(new AuthEntry("hub", "h"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.json"))))
                .isEqualTo("rw-------");
        assertThat(config.erase("localhost:5000")).isTrue();
        assertThat(config.get("localhost:5000")).isEmpty();
        assertThat(config.erase("localhost:5000")).isFalse();
    }

    @Test
    void oldUrlKeys_areFound() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"https://reg.lan:5000/v2/\":{\"auth\":\"YTpi\"}}}");
        assertThat(new DockerConfigFile(dir).get("reg.lan:5000")).contains(new AuthEntry("a", "b"));
    }

    @Test
    void credHelpers_getStoreAndEraseThroughTheHelperProtocol() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path store = dir.resolve("helper-store");
        // A fake helper keeping one credential in a file, speaking the docker-credential-helpers protocol.
        Path helper = bin.resolve("docker-credential-fake");
        Files.writeString(helper, """
                #!/bin/sh
                case "$1" in
                  store) cat > "%1$s" ;;
                  get) read server; if [ -f "%1$s" ]; then cat "%1$s"; else echo "credentials not found in native keychain"; exit 1; fi ;;
                  erase) read server; rm -f "%1$s" ;;
                esac
                """.formatted(store));
        helper.toFile().setExecutable(true);
        Files.writeString(dir.resolve("config.json"), "{\"credHelpers\":{\"reg.lan\":\"fake\"}}");
        DockerConfigFile config = new DockerConfigFile(dir, bin);
        assertThat(config.get("reg.lan")).isEmpty();
        config.store("reg.lan", new AuthEntry("u", "secret"));
        assertThat(Files.readString(store)).contains("\"Username\":\"u\"").contains("\"Secret\":\"secret\"")
                .contains("\"ServerURL\":\"reg.lan\"");
        assertThat(Files.readString(dir.resolve("config.json"))).doesNotContain("secret");
        assertThat(config.get("reg.lan")).contains(new AuthEntry("u", "secret"));
        assertThat(config.erase("reg.lan")).isTrue();
        assertThat(Files.exists(store)).isFalse();
        // credsStore covers every other registry
        Files.writeString(dir.resolve("config.json"), "{\"credsStore\":\"fake\"}");
        config.store("other.lan", new AuthEntry("o", "p"));
        assertThat(config.get("other.lan")).contains(new AuthEntry("o", "p"));
    }
}
