package dev.skiff.engine.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * syslog over tcp+tls, RFC 5425's octet counting for rfc5424: a server with a certificate keytool makes for the
 * test, trusted through syslog-tls-ca-cert (and refused without it).
 */
class SyslogTlsSinkTest extends LogSinkContract {
    @TempDir
    static Path dir;
    private static SSLContext server;
    private TcpDestination tcp;

    @BeforeAll
    static void certificate() throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path store = dir.resolve("server.p12");
        run(keytool, "-genkeypair", "-alias", "syslog", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "secret", "-keypass", "secret");
        run(keytool, "-exportcert", "-rfc", "-alias", "syslog", "-keystore", store.toString(), "-storepass", "secret",
                "-file", dir.resolve("ca.pem").toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret".toCharArray());
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Override
    protected Destination destination() throws Exception {
        tcp = new TcpDestination((buf, out, c) -> {
            // RFC 5425 framing: "LENGTH SP MESSAGE"
            byte[] all = buf.toByteArray();
            int p = 0;
            while (true) {
                int sp = p;
                while (sp < all.length && all[sp] != ' ') {
                    sp++;
                }
                if (sp >= all.length) {
                    break;
                }
                int len = Integer.parseInt(new String(all, p, sp - p));
                if (sp + 1 + len > all.length) {
                    break;
                }
                out.add(SyslogDecoder.decode(java.util.Arrays.copyOfRange(all, sp + 1, sp + 1 + len)));
                p = sp + 1 + len;
            }
            buf.reset();
            buf.write(all, p, all.length - p);
        }, server.getServerSocketFactory());
        return tcp;
    }

    @Override
    protected LogSink open(Destination d) throws IOException {
        return LogDrivers.open("syslog", Map.of("syslog-address", "tcp+tls://127.0.0.1:" + tcp.port(),
                "syslog-format", "rfc5424", "syslog-tls-ca-cert", dir.resolve("ca.pem").toString()), SOURCE);
    }

    @Override
    protected LogSink openNowhere() throws IOException {
        return LogDrivers.open("syslog", Map.of("syslog-address", "tcp+tls://127.0.0.1:1"), SOURCE);
    }

    @Test
    void aServerItCannotVerify_isRefused_unlessVerificationIsSkipped() throws Exception {
        started();
        assertThatThrownBy(() -> LogDrivers.open("syslog", Map.of("syslog-address", "tcp+tls://127.0.0.1:" + tcp.port()),
                SOURCE)).isInstanceOf(IOException.class).hasMessageContaining("cannot reach syslog at tcp+tls://127.0.0.1");
        try (LogSink s = LogDrivers.open("syslog", Map.of("syslog-address", "tcp+tls://127.0.0.1:" + tcp.port(),
                "syslog-format", "rfc5424", "syslog-tls-skip-verify", "true"), SOURCE)) {
            s.send(line("unverified", false));
            assertThat(tcp.await(1, Duration.ofSeconds(10)).getFirst().line()).isEqualTo("unverified");
        }
    }
}
