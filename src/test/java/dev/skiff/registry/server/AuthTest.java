package dev.skiff.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthTest {
    @TempDir
    Path dir;

    private Htpasswd htpasswd() throws Exception {
        Path f = dir.resolve("htpasswd");
        // alice: the OpenBSD bcrypt test vector for "U*U", with the $2y$ prefix htpasswd -B writes.
        Files.writeString(f, "alice:$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW\n"
                + Htpasswd.line("bob", "hunter2") + "\nplain:notbcrypt\n");
        return new Htpasswd(f);
    }

    private static String basic(String user, String pass) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void htpasswd_checksBcryptAndRefusesOthers() throws Exception {
        Htpasswd h = htpasswd();
        assertThat(h.check("bob", "hunter2")).contains("bob");
        assertThat(h.check("bob", "hunter2")).contains("bob"); // cached path
        assertThat(h.check("bob", "wrong")).isEmpty();
        assertThat(h.check("plain", "notbcrypt")).isEmpty();
        assertThat(h.check("nobody", "x")).isEmpty();
        assertThat(h.check("alice", "wrong")).isEmpty();
        assertThat(h.check("alice", "U*U")).contains("alice");
    }

    @Test
    void basicMode_challengesWithoutCredentials() throws Exception {
        Authenticator a = new Authenticator(htpasswd(), null, null, Clock.systemUTC());
        assertThatThrownBy(() -> a.authorize(null, List.of(), false, "http://h"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"Skiff Registry\"");
                });
        assertThat(a.authorize(basic("bob", "hunter2"), List.of(new Authenticator.Need("x", "push")), false, "http://h").all()).isTrue();
    }

    @Test
    void tokenMode_grantsOnlyTheRepositoriesAsked() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        TokenAuthority tokens = new TokenAuthority("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8), "iss", "svc");
        Authenticator a = new Authenticator(htpasswd(), tokens, null, clock);
        var need = List.of(new Authenticator.Need("team/app", "push"));
        assertThatThrownBy(() -> a.authorize(null, need, false, "https://reg:5000"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.headers().get("WWW-Authenticate"))
                        .isEqualTo("Bearer realm=\"https://reg:5000/token\",service=\"svc\",scope=\"repository:team/app:pull,push\""));

        Reply r = a.token(basic("bob", "hunter2"), List.of("repository:team/app:pull,push repository:other:pull"));
        String token = (String) readJson(r).get("token");
        Access access = a.authorize("Bearer " + token, need, false, "https://reg:5000");
        assertThat(access.allows("team/app", "push")).isTrue();
        assertThat(access.allows("other", "pull")).isTrue();
        assertThat(access.allows("other", "push")).isFalse();
        assertThatThrownBy(() -> a.authorize("Bearer " + token, List.of(new Authenticator.Need("elsewhere", "pull")), false, "https://reg:5000"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.headers().get("WWW-Authenticate")).contains("insufficient_scope"));

        assertThatThrownBy(() -> a.token(basic("bob", "nope"), List.of()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        // anonymous tokens carry no grants
        String anon = (String) readJson(a.token(null, List.of("repository:team/app:pull"))).get("token");
        assertThatThrownBy(() -> a.authorize("Bearer " + anon, need, false, "h")).isInstanceOf(RegistryException.class);
    }

    @Test
    void tokens_forgedExpiredOrForeignAreRefused() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        TokenAuthority t = new TokenAuthority("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8), "iss", "svc");
        String token = t.issue("bob", TokenAuthority.Grant.parse(List.of("repository:a:pull")), now);
        assertThat(t.verify(token, now)).isPresent();
        assertThat(t.verify(token, now.plus(TokenAuthority.LIFETIME).plusSeconds(1))).isEmpty();
        String[] p = token.split("\\.");
        assertThat(t.verify(p[0] + "." + p[1] + "." + p[2].substring(1) + "A", now)).isEmpty();
        String forgedBody = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iss\":\"iss\",\"aud\":\"svc\",\"exp\":9999999999,\"access\":[{\"type\":\"repository\",\"name\":\"a\",\"actions\":[\"push\"]}]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(t.verify(p[0] + "." + forgedBody + "." + p[2], now)).isEmpty();
        TokenAuthority other = new TokenAuthority("another-key-0123456789".getBytes(StandardCharsets.UTF_8), "iss", "svc");
        assertThat(other.verify(token, now)).isEmpty();
        assertThat(t.verify("garbage", now)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Reply r) throws Exception {
        return dev.skiff.sys.Json.MAPPER.readValue(r.body(), Map.class);
    }
}
