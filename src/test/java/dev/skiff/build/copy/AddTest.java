package dev.skiff.build.copy;

import dev.skiff.build.context.FileHashCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.skiff.build.context.ContextArchive;
import dev.skiff.build.context.DockerIgnore;
import dev.skiff.build.context.TestTars;
import dev.skiff.build.dockerfile.DockerfileParser;
import dev.skiff.build.dockerfile.Instruction;
import dev.skiff.build.dockerfile.InstructionExpander;
import dev.skiff.errors.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADD: local archives unpacked (and not, with --unpack=false), URLs from a local HttpServer, --checksum. */
class AddTest {
    private static final String BODY = "remote content\n";

    @TempDir
    Path tmp;
    Path ctx;
    Path rootfs;
    CopyEngine engine;
    HttpServer server;
    String base;
    final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        engine = new CopyEngine(tmp.resolve("scratch"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            if (path.endsWith(".tar.gz")) {
                body = gzip(TestTars.tar("pkg/", "d", "", "pkg/bin", "f", "binary"));
            } else if (path.equals("/missing")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            } else {
                body = BODY.getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static CopyRequest add(String line) {
        Instruction in = DockerfileParser.parse("Dockerfile", "FROM x\n" + line).stages().getFirst().instructions().getFirst();
        return CopyRequest.of((Instruction.Add) InstructionExpander.expand(in, Map.of(), '\\'), "/");
    }

    private PreparedCopy prepare(String line) throws IOException {
        return engine.prepare(add(line), CopySource.context(ctx, DockerIgnore.NONE));
    }

    private void run(String line) throws IOException {
        try (PreparedCopy p = prepare(line)) {
            p.apply(rootfs);
        }
    }

    @Test
    void aLaterSource_replacesWhatAnArchiveUnpackedIntoTheSameNewDirectory() throws Exception {
        Files.write(ctx.resolve("a.tar"), TestTars.tar("run.sh", "f", "from the archive", "link", "f", "x"));
        Path dir = Files.createDirectories(ctx.resolve("dir"));
        Files.writeString(dir.resolve("run.sh"), "from the context");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("run.sh"));
        run("ADD a.tar dir /fresh/");
        assertThat(Files.readString(rootfs.resolve("fresh/run.sh"))).isEqualTo("from the context");
        assertThat(Files.readSymbolicLink(rootfs.resolve("fresh/link"))).isEqualTo(Path.of("run.sh"));
    }

    @Test
    void localTar_isUnpacked_gzipAndXz_unlessUnpackFalse() throws Exception {
        byte[] tar = TestTars.tar("app/", "d", "", "app/run.sh", "f", "echo hi", "app/link", "l", "run.sh");
        Files.write(ctx.resolve("app.tar.gz"), gzip(tar));
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (XZCompressorOutputStream out = new XZCompressorOutputStream(xz)) {
            out.write(tar);
        }
        Files.write(ctx.resolve("weird-name.bin"), xz.toByteArray());
        Files.writeString(rootfs.resolve("keep"), "k");
        run("ADD app.tar.gz /");
        assertThat(Files.readString(rootfs.resolve("app/run.sh"))).isEqualTo("echo hi");
        assertThat(Files.readSymbolicLink(rootfs.resolve("app/link"))).isEqualTo(Path.of("run.sh"));
        assertThat(rootfs.resolve("keep")).as("the union with what was there").exists();
        run("ADD weird-name.bin /x/");
        assertThat(rootfs.resolve("x/app/run.sh")).as("detected by content, not name").exists();
        run("ADD --unpack=false app.tar.gz /raw/");
        assertThat(Files.readAllBytes(rootfs.resolve("raw/app.tar.gz"))).isEqualTo(gzip(tar));
        Files.writeString(ctx.resolve("empty.tar.gz"), "");
        run("ADD empty.tar.gz /e/");
        assertThat(rootfs.resolve("e/empty.tar.gz")).as("an empty file is just a file").exists();
        run("COPY app.tar.gz /copied/".replace("COPY", "ADD --unpack=false"));
        assertThat(rootfs.resolve("copied/app.tar.gz")).exists();
    }

    @Test
    void localTar_keepsItsOwners_whateverChownSays() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            var dir = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("o/");
            dir.setIds(123, 456);
            out.putArchiveEntry(dir);
            out.closeArchiveEntry();
            var file = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("o/f");
            file.setIds(123, 456);
            file.setSize(1);
            out.putArchiveEntry(file);
            out.write('x');
            out.closeArchiveEntry();
        }
        Files.write(ctx.resolve("t.tar"), bytes.toByteArray());
        Files.writeString(ctx.resolve("plain"), "p");
        run("ADD --chown=9:9 t.tar plain /x/");
        // as both of dockerd's builders: the archive's owners for what it unpacks, --chown for the rest
        assertThat(Files.getAttribute(rootfs.resolve("x/o/f"), "unix:uid")).isEqualTo(123);
        assertThat(Files.getAttribute(rootfs.resolve("x/o/f"), "unix:gid")).isEqualTo(456);
        assertThat(Files.getAttribute(rootfs.resolve("x/o"), "unix:uid")).isEqualTo(123);
        assertThat(Files.getAttribute(rootfs.resolve("x/plain"), "unix:uid")).isEqualTo(9);
    }

    @Test
    void localTar_withEscapingEntries_isRefused() throws Exception {
        Files.write(ctx.resolve("evil.tar"), TestTars.tar("../../evil", "f", "x"));
        assertThatThrownBy(() -> run("ADD evil.tar /sub/")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("points outside the destination");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.write(ctx.resolve("link.tar"), TestTars.tar("l", "l", outside.toString(), "l/pwned", "f", "x"));
        run("ADD link.tar /t/");
        assertThat(outside.resolve("pwned")).as("a symlink in the archive resolves inside the rootfs").doesNotExist();
        assertThat(rootfs.resolve(outside.toString().substring(1)).resolve("pwned")).exists();
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void url_nameFromUrl_mode600_mtimeFromLastModified() throws Exception {
        run("ADD " + base + "/files/foobar /");
        Path f = rootfs.resolve("foobar");
        assertThat(Files.readString(f)).isEqualTo(BODY);
        assertThat((Integer) Files.getAttribute(f, "unix:mode") & 0777).isEqualTo(0600);
        assertThat(Files.getLastModifiedTime(f)).isEqualTo(FileTime.from(Instant.parse("2015-10-21T07:28:00Z")));
        run("ADD " + base + "/files/foo /bar");
        assertThat(Files.readString(rootfs.resolve("bar"))).isEqualTo(BODY);
        assertThatThrownBy(() -> run("ADD " + base + "/ /dir/")).hasMessageContaining("cannot determine a file name");
        assertThatThrownBy(() -> run("ADD " + base + "/missing /m")).hasMessageContaining("HTTP 404");
        assertThat(Files.list(tmp.resolve("scratch"))).as("downloads are removed").isEmpty();
    }

    @Test
    void url_checksum_verifiedAndInDigest() throws Exception {
        String sha = HexFormat.of().formatHex(FileHashCache.sha256().digest(BODY.getBytes(StandardCharsets.UTF_8)));
        run("ADD --checksum=sha256:" + sha + " " + base + "/a.txt /c/");
        assertThat(rootfs.resolve("c/a.txt")).exists();
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> run("ADD --checksum=sha256:" + wrong + " " + base + "/a.txt /c/"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("digest mismatch")
                .hasMessageContaining("got sha256:" + sha);
        assertThatThrownBy(() -> run("ADD --checksum=md5:abc " + base + "/a.txt /c/")).hasMessageContaining("unsupported digest");
        assertThatThrownBy(() -> run("ADD --checksum=sha256:" + sha + " local.txt /c/"))
                .hasMessageContaining("only supported for HTTP(S) and Git sources");
        try (PreparedCopy a = prepare("ADD " + base + "/a.txt /c/"); PreparedCopy b = prepare("ADD " + base + "/a.txt /c/")) {
            assertThat(a.digest()).as("the fetched content is the key, not the fetch time").isEqualTo(b.digest());
        }
    }

    @Test
    void downloads_reportTheirBytes_asTheClassicBuilderAndDockerdDo() throws Exception {
        java.util.List<String> seen = new java.util.ArrayList<>();
        dev.skiff.image.Progress recording = (id, status, current, total) -> seen.add(id + "|" + status + "|" + current
                + "/" + total);
        Instruction in = DockerfileParser.parse("Dockerfile", "FROM x\nADD " + base + "/a.txt /c/").stages().getFirst()
                .instructions().getFirst();
        CopyRequest request = CopyRequest.of((Instruction.Add) InstructionExpander.expand(in, Map.of(), '\\'), "/");
        try (PreparedCopy p = engine.prepare(request, CopySource.context(ctx, DockerIgnore.NONE), recording)) {
            p.apply(rootfs);
        }
        int size = BODY.length();
        assertThat(seen).startsWith("|Downloading|0/" + size).endsWith("|Downloading|" + size + "/" + size);
        seen.clear();
        try (var ctxIn = engine.remoteContext(base + "/Dockerfile", "Dockerfile", recording)) {
            ctxIn.readAllBytes();
        }
        assertThat(seen).startsWith("Downloading context|" + base + "/Dockerfile|0/" + size)
                .endsWith("Downloading context|" + base + "/Dockerfile|" + size + "/" + size);
    }

    @Test
    void remoteContexts_aTarballIsTheContext_anyOtherFileItsDockerfile_andNothingStays() throws Exception {
        try (var in = engine.remoteContext(base + "/ctx.tar.gz", "Dockerfile")) {
            assertThat(in.readAllBytes()).isEqualTo(gzip(TestTars.tar("pkg/", "d", "", "pkg/bin", "f", "binary")));
        }
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                engine.remoteContext(base + "/Dockerfile", "build/Dockerfile.dev"))) {
            var entry = in.getNextEntry();
            assertThat(entry.getName()).isEqualTo("build/Dockerfile.dev");
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(BODY);
            assertThat(in.getNextEntry()).isNull();
        }
        assertThat(Files.list(tmp.resolve("scratch"))).as("fetched contexts are deleted once read").isEmpty();
        assertThatThrownBy(() -> engine.remoteContext("ftp://example.com/x", "Dockerfile"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("neither a Git repository nor");
        assertThatThrownBy(() -> engine.remoteContext(base + "/missing", "Dockerfile")).hasMessageContaining("HTTP 404");
        assertThat(Files.list(tmp.resolve("scratch"))).isEmpty();
    }

    @Test
    void url_unpackTrue_extractsRemoteArchive() throws Exception {
        run("ADD --unpack=true " + base + "/pkg.tar.gz /opt/");
        assertThat(Files.readString(rootfs.resolve("opt/pkg/bin"))).isEqualTo("binary");
        run("ADD " + base + "/pkg.tar.gz /dl/");
        assertThat(rootfs.resolve("dl/pkg.tar.gz")).as("remote archives stay packed by default").exists();
        assertThat(ContextArchive.class).isNotNull();
    }
}
