package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attach and exec streams the CLIs at hand do not reach: GET /containers/{id}/attach/ws, driven by a plain RFC 6455
 * client over the daemon's socket, and an exec session left with its detach keys.
 */
class AttachApiIT {
    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void stdinGoesInAsFrames_andTheContainersOutputComesBackAsTextFrames() throws Exception {
        docker(daemon, "run", "-d", "-i", "--name", "wscat", "busybox", "cat").assertOk();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
            InputStream in = Channels.newInputStream(ch);
            OutputStream out = Channels.newOutputStream(ch);
            out.write(("GET /v1.50/containers/wscat/attach/ws?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                    + "Host: skiff\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 ").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

            out.write(clientFrame(0x1, "hello over ws\n".getBytes(StandardCharsets.UTF_8)));
            StringBuilder echoed = new StringBuilder();
            while (!echoed.toString().contains("hello over ws\n")) {
                Frame f = readFrame(in);
                assertThat(f.opcode()).isEqualTo(0x1);
                echoed.append(new String(f.payload(), StandardCharsets.UTF_8));
            }
            assertThat(echoed.toString()).isEqualTo("hello over ws\n"); // raw: no stdcopy header

            out.write(clientFrame(0x8, new byte[] {0x03, (byte) 0xE8}));
            Frame answer = readFrame(in);
            assertThat(answer.opcode()).isEqualTo(0x8);
        }
        // the container outlives the attach
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Running}}", "wscat").assertOk().out()).isEqualTo("true");
        docker(daemon, "rm", "-f", "wscat").assertOk();
    }

    /**
     * A client's stdin goes into the container by a write that blocks while the process does not read it (a full
     * pipe for an exec, conmon's socket for an attach). Such writes once ran on request threads and held their
     * carriers: two of them stalled every request of the daemon until the process exited.
     */
    @Test
    void clientsWhoseStdinTheProcessNeverReads_stallNothingElse() throws Exception {
        docker(daemon, "run", "-d", "-i", "--name", "noread", "busybox", "sleep", "1000").assertOk();
        java.nio.file.Path zeros = java.nio.file.Files.createTempFile("skiff-zeros", "");
        java.nio.file.Files.write(zeros, new byte[8 * 1024 * 1024]); // far more than a pipe and a socket buffer hold
        java.util.List<Process> clients = new java.util.ArrayList<>();
        try {
            for (String[] args : java.util.List.of(new String[] {"exec", "-i", "noread", "sleep", "1000"},
                    new String[] {"exec", "-i", "noread", "sleep", "1000"}, new String[] {"attach", "noread"},
                    new String[] {"attach", "noread"})) {
                java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("docker"));
                cmd.addAll(java.util.List.of(args));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(zeros.toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
                pb.environment().putAll(daemon.clientEnv());
                clients.add(pb.start());
            }
            // until every client's data is in: the daemon's writes into the container are blocked by then
            Thread.sleep(3000);
            // a liveness check, not a timing: a stalled daemon never answers (Cli.docker gives up after 120 s)
            ProcessBuilder psb = new ProcessBuilder("docker", "ps", "-q").redirectErrorStream(true);
            psb.environment().putAll(daemon.clientEnv());
            Process ps = psb.start();
            assertThat(ps.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("docker ps answered").isTrue();
            assertThat(ps.exitValue()).isZero();
            assertThat(docker(daemon, "exec", "noread", "echo", "still", "serving").assertOk().out())
                    .isEqualTo("still serving");
        } finally {
            clients.forEach(Process::destroyForcibly);
            docker(daemon, "rm", "-f", "noread");
            java.nio.file.Files.deleteIfExists(zeros);
        }
    }

    /**
     * An exec's output waits until the client has read the response head: docker-py reads the head through a buffered
     * reader and the stream from the raw socket, so output that arrived with the head was lost (exec_run returned
     * nothing now and then under load). A client that reads the head late gets it in a read of its own.
     */
    @Test
    void anExecsOutput_waitsForTheClientToReadTheHead() throws Exception {
        docker(daemon, "run", "-d", "--name", "headfirst", "busybox", "sleep", "1000").assertOk();
        try {
            String created;
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
                byte[] body = "{\"Cmd\":[\"echo\",\"o\"],\"AttachStdout\":true,\"AttachStderr\":true}"
                        .getBytes(StandardCharsets.UTF_8);
                Channels.newOutputStream(ch).write(("POST /v1.50/containers/headfirst/exec HTTP/1.1\r\nHost: skiff\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                Channels.newOutputStream(ch).write(body);
                created = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            }
            String id = created.replaceAll("(?s).*\"Id\":\"([0-9a-f]+)\".*", "$1");
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
                byte[] body = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.UTF_8);
                ch.write(java.nio.ByteBuffer.wrap(("POST /v1.50/exec/" + id + "/start HTTP/1.1\r\nHost: skiff\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
                        + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                ch.write(java.nio.ByteBuffer.wrap(body));
                // the process has long printed its line when we look: the head still comes alone
                Thread.sleep(200);
                java.nio.ByteBuffer first = java.nio.ByteBuffer.allocate(64 * 1024);
                ch.read(first);
                String head = new String(first.array(), 0, first.position(), StandardCharsets.ISO_8859_1);
                assertThat(head).startsWith("HTTP/1.1 101 ").endsWith("\r\n\r\n");
                byte[] rest = Channels.newInputStream(ch).readAllBytes();
                assertThat(rest).containsExactly(1, 0, 0, 0, 0, 0, 0, 2, 'o', '\n'); // one stdout frame
            }
        } finally {
            docker(daemon, "rm", "-f", "headfirst");
        }
    }

    @Test
    void aPlainRequest_isTold_toUpgrade() throws Exception {
        docker(daemon, "create", "--name", "wsplain", "busybox", "true").assertOk();
        String answer = Cli.run(null, java.util.List.of("curl", "-s", "-w", "\n%{http_code}", "--unix-socket",
                daemon.socket().toString(), "http://skiff/containers/wsplain/attach/ws?stream=1&stdout=1"), null)
                .assertOk().stdout();
        assertThat(answer).endsWith("\n400").contains("Upgrade: websocket");
        docker(daemon, "rm", "wsplain").assertOk();
    }

    @Test
    void anExecWhoseContainerStoppedBeforeItsStart_recordsDockerds126() throws Exception {
        docker(daemon, "run", "-d", "--name", "execlate", "busybox", "sleep", "1000").assertOk();
        String id = json(api("POST", "/containers/execlate/exec", """
                {"AttachStdout":true,"Cmd":["true"]}""")).path("Id").asText();
        docker(daemon, "kill", "execlate").assertOk();
        docker(daemon, "wait", "execlate").assertOk(); // kill returns before the exit is recorded
        Cli.Result start = Cli.run(null, java.util.List.of("curl", "-s", "-X", "POST", "--unix-socket",
                daemon.socket().toString(), "-H", "Content-Type: application/json", "-d", "{\"Detach\":true}",
                "-w", "\n%{http_code}", "http://skiff/exec/" + id + "/start"), null).assertOk();
        assertThat(start.stdout()).contains("is not running").endsWith("409");
        // the docker CLI exits with the exec's ExitCode: unset, it exited 0 after printing the error
        assertThat(json(api("GET", "/exec/" + id + "/json", null)).path("ExitCode").asInt()).isEqualTo(126);
        docker(daemon, "rm", "-f", "execlate").assertOk();
    }

    @Test
    void theDetachKeysLeaveAnExecSession_whoseProcessKeepsRunning() throws Exception {
        docker(daemon, "run", "-d", "--name", "execd", "busybox", "sleep", "1000").assertOk();
        String id = json(api("POST", "/containers/execd/exec", """
                {"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Tty":true,"Cmd":["cat"]}""")).path("Id").asText();
        long since = System.currentTimeMillis() / 1000 - 1;
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
            InputStream in = Channels.newInputStream(ch);
            OutputStream out = Channels.newOutputStream(ch);
            String body = "{\"Detach\":false,\"Tty\":true}";
            out.write(("POST /v1.50/exec/" + id + "/start HTTP/1.1\r\nHost: skiff\r\nContent-Type: application/json\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(in)).startsWith("HTTP/1.1 101 ");
            out.write("typed\n".getBytes(StandardCharsets.US_ASCII));
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("typed")) {
                int b = in.read();
                assertThat(b).as("the session echoes what was typed").isNotNegative();
                seen.append((char) b);
            }
            out.write(new byte[] {0x10, 0x11}); // ctrl-p ctrl-q
            assertThat(in.readAllBytes()).as("the connection ends at the detach").isNotNull();
        }
        var exec = json(api("GET", "/exec/" + id + "/json", null));
        assertThat(exec.path("Running").asBoolean()).isTrue();
        assertThat(exec.path("Pid").asInt()).isPositive();
        String events = docker(daemon, "events", "--since", Long.toString(since), "--until",
                Long.toString(System.currentTimeMillis() / 1000 + 1), "--filter", "container=execd",
                "--format", "{{.Action}}").assertOk().out();
        assertThat(events).contains("exec_detach");
        docker(daemon, "rm", "-f", "execd").assertOk();
    }

    @Test
    void anExecWhoseClientGoesAway_goesWithIt() throws Exception {
        docker(daemon, "run", "-d", "--name", "execgone", "busybox", "sleep", "1000").assertOk();
        ProcessBuilder pb = new ProcessBuilder("docker", "exec", "execgone", "sleep", "77")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(daemon.clientEnv());
        Process client = pb.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!docker(daemon, "top", "execgone").assertOk().stdout().contains("sleep 77")) {
            assertThat(System.currentTimeMillis()).as("the exec runs").isLessThan(deadline);
            Thread.sleep(100);
        }
        client.destroyForcibly().waitFor(); // SIGKILL: the CLI cannot say goodbye, its socket just closes

        deadline = System.currentTimeMillis() + 10_000;
        while (docker(daemon, "top", "execgone").assertOk().stdout().contains("sleep 77")) {
            assertThat(System.currentTimeMillis()).as("the exec is killed with its client").isLessThan(deadline);
            Thread.sleep(200);
        }
        docker(daemon, "rm", "-f", "execgone").assertOk();
    }

    @Test
    void aTtyExecWhoseClientCloses_livesOn_asTheDockerCliDetachesSo() throws Exception {
        docker(daemon, "run", "-d", "--name", "ttyexec", "busybox", "sleep", "1000").assertOk();
        String id = json(api("POST", "/containers/ttyexec/exec", """
                {"AttachStdin":true,"AttachStdout":true,"Tty":true,"Cmd":["sh"]}""")).path("Id").asText();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
            OutputStream out = Channels.newOutputStream(ch);
            String body = "{\"Detach\":false,\"Tty\":true}";
            out.write(("POST /v1.50/exec/" + id + "/start HTTP/1.1\r\nHost: skiff\r\nContent-Type: application/json\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(Channels.newInputStream(ch))).startsWith("HTTP/1.1 101 ");
        } // closed without a word, as the docker CLI does after it saw ctrl-p ctrl-q itself
        Thread.sleep(1500); // three of the daemon's looks at the client
        var exec = json(api("GET", "/exec/" + id + "/json", null));
        assertThat(exec.path("Running").asBoolean()).isTrue();
        docker(daemon, "rm", "-f", "ttyexec").assertOk();
    }

    private static String api(String method, String path, String body) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("curl", "-sf", "-X", method,
                "--unix-socket", daemon.socket().toString(), "http://skiff" + path));
        if (body != null) {
            cmd.addAll(java.util.List.of("-H", "Content-Type: application/json", "-d", body));
        }
        return Cli.run(null, cmd, null).assertOk().stdout();
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    }

    private record Frame(int opcode, byte[] payload) {
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static Frame readFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        assertThat(b1 & 0x80).as("server frames are not masked").isZero();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | in.read();
            }
        }
        return new Frame(b0 & 0x0f, in.readNBytes((int) len));
    }

    private static byte[] clientFrame(int opcode, byte[] payload) {
        byte[] mask = {0x0a, 0x0b, 0x0c, 0x0d};
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        f.write(0x80 | payload.length); // short payloads only
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }
}
