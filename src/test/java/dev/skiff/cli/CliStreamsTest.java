package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that move byte streams: cp, import, load, save, export. */
class CliStreamsTest {
    private static byte[] tarOf(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            e.setMode(0644);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static String stat(String name, long mode) {
        String json = "{\"name\":\"" + name + "\",\"size\":5,\"mode\":" + mode + ",\"mtime\":\"2026-01-01T00:00:00Z\",\"linkTarget\":\"\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void cp_fromContainer_renamesToANewLocalName(@TempDir Path dir) throws Exception {
        Map<String, String> headers = Map.of("X-Docker-Container-Path-Stat", stat("hosts", 0644));
        FakeApiClient api = new FakeApiClient()
                .onBytes("HEAD /containers/web/archive?path=%2Fetc%2Fhosts", new byte[0], headers)
                .onBytes("GET /containers/web/archive?path=%2Fetc%2Fhosts", tarOf("hosts", "hello"), headers);
        Path target = dir.resolve("copy.txt");
        CliHarness.Result r = CliHarness.run(api, "cp", "web:/etc/hosts", target.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(Files.readString(target)).isEqualTo("hello");
        CliHarness.Result intoDir = CliHarness.run(api, "cp", "web:/etc/hosts", dir.toString());
        assertThat(intoDir.exit()).isZero();
        assertThat(Files.readString(dir.resolve("hosts"))).isEqualTo("hello");
    }

    @Test
    void cp_toContainer_packsTheFileUnderTheDestinationName(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("app.conf");
        Files.writeString(src, "x=1");
        FakeApiClient api = new FakeApiClient()
                .on("HEAD /containers/web/archive?path=%2Fetc%2Fnew.conf", 404, "{\"message\":\"no such file\"}")
                .on("PUT /containers/web/archive*", 200, "");
        CliHarness.Result r = CliHarness.run(api, "cp", src.toString(), "web:/etc/new.conf");
        assertThat(r.err()).isEmpty();
        FakeApiClient.Recorded put = api.request("PUT", "/containers/web/archive");
        assertThat(put.path()).isEqualTo("/containers/web/archive?noOverwriteDirNonDir=1&path=%2Fetc");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(put.body()))) {
            TarArchiveEntry e = tar.getNextEntry();
            assertThat(e.getName()).isEqualTo("new.conf");
            assertThat(new String(tar.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("x=1");
        }
    }

    @Test
    void cp_dashStreamsTarBothWays() throws Exception {
        byte[] tar = tarOf("f", "data");
        FakeApiClient api = new FakeApiClient()
                .onBytes("HEAD /containers/web/archive*", new byte[0], Map.of("X-Docker-Container-Path-Stat", stat("f", 0644)))
                .onBytes("GET /containers/web/archive*", tar, Map.of());
        CliHarness.Result out = CliHarness.run(api, "cp", "web:/f", "-");
        assertThat(out.out().getBytes(StandardCharsets.ISO_8859_1).length).isGreaterThan(0);
        CliHarness.Result bad = CliHarness.run(api, "cp", "a:/x", "b:/y");
        assertThat(bad.err()).isEqualTo("copying between containers is not supported\n");
        assertThat(bad.exit()).isEqualTo(1);
    }

    @Test
    void import_sendsStdinToImagesCreate() {
        FakeApiClient api = new FakeApiClient().on("POST /images/create*", "{\"status\":\"sha256:1234\"}\n");
        CliHarness.Result r = CliHarness.runWithStdin(api, "TARBYTES", "import", "-m", "first", "-c", "ENV A=1", "-", "myimg:v1");
        assertThat(r.out()).isEqualTo("sha256:1234\n");
        FakeApiClient.Recorded req = api.request("POST", "/images/create");
        assertThat(req.path()).isEqualTo("/images/create?changes=ENV+A%3D1&fromSrc=-&message=first&repo=myimg%3Av1");
        assertThat(req.bodyText()).isEqualTo("TARBYTES");
    }

    @Test
    void load_printsStreamMessages_andReportsErrors() {
        FakeApiClient ok = new FakeApiClient().on("POST /images/load*", "{\"stream\":\"Loaded image: busybox:latest\\n\"}");
        assertThat(CliHarness.runWithStdin(ok, "x", "load").out()).isEqualTo("Loaded image: busybox:latest\n");
        FakeApiClient bad = new FakeApiClient().on("POST /images/load*", "{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":\"unexpected EOF\"}");
        CliHarness.Result r = CliHarness.runWithStdin(bad, "x", "load");
        assertThat(r.err()).isEqualTo("unexpected EOF\n");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void save_writesTheArchiveToAFile(@TempDir Path dir) throws Exception {
        FakeApiClient api = new FakeApiClient().onBytes("GET /images/get?names=busybox&names=alpine", "ARCHIVE".getBytes(StandardCharsets.UTF_8), Map.of());
        Path out = dir.resolve("images.tar");
        CliHarness.Result r = CliHarness.run(api, "save", "-o", out.toString(), "busybox", "alpine");
        assertThat(r.exit()).isZero();
        assertThat(Files.readString(out)).isEqualTo("ARCHIVE");
    }

    @Test
    void runInteractiveTty_withoutATerminal_fails() {
        CliHarness.Result r = CliHarness.run(new FakeApiClient(), "run", "-it", "busybox");
        assertThat(r.err()).isEqualTo("the input device is not a TTY\n");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void hostFlag_reachesTheClientFactory() {
        String[] seen = new String[1];
        CliContext ctx = new CliContext(host -> {
            seen[0] = host;
            return new FakeApiClient().on("GET /containers/json", "[]");
        }, java.io.InputStream.nullInputStream(), new java.io.PrintStream(new ByteArrayOutputStream()),
                new java.io.PrintStream(new ByteArrayOutputStream()), Terminal.none(), java.time.Clock.systemUTC(), Map.of());
        assertThat(Cli.run(ctx, "-H", "unix:///tmp/x.sock", "ps")).isZero();
        assertThat(seen[0]).isEqualTo("unix:///tmp/x.sock");
    }
}
