package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Git repositories served by a real `git daemon` on loopback (git://127.0.0.1:PORT/NAME.git), for ADD from Git and
 * remote build contexts. Each repository has a working copy its test commits in and pushes from.
 */
final class GitServer implements AutoCloseable {
    private final Path root;
    private final int port;
    private final Process daemon;

    private GitServer(Path root, int port, Process daemon) {
        this.root = root;
        this.port = port;
        this.daemon = daemon;
    }

    /** Serves the bare repositories under a new directory in {@code parent}. */
    static GitServer start(Path parent) throws Exception {
        Requirements.assumeTool("git");
        Path root = Files.createTempDirectory(parent, "git-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1",
                "--port=" + port, "--base-path=" + root, root.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; ; i++) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (i > 100) {
                    daemon.destroy();
                    throw e;
                }
                Thread.sleep(50);
            }
        }
        return new GitServer(root, port, daemon);
    }

    /** A new repository {@code name} holding {@code files} in one commit on main (tagged v1); its working copy. */
    Path repository(String name, Map<String, String> files) throws Exception {
        Path work = root.resolve(name + ".work");
        Files.createDirectories(work);
        sh(work, "git init -q -b main");
        write(work, files);
        commit(work, "one");
        sh(work, "git tag v1 && git clone -q --bare . ../" + name + ".git");
        return work;
    }

    /** Writes {@code files} into the working copy, commits them and pushes main. */
    void push(Path work, Map<String, String> files, String message) throws Exception {
        write(work, files);
        commit(work, message);
        sh(work, "git push -q ../" + work.getFileName().toString().replace(".work", ".git") + " main");
    }

    String url(String name) {
        return "git://127.0.0.1:" + port + "/" + name + ".git";
    }

    private static void write(Path work, Map<String, String> files) throws IOException {
        for (var e : files.entrySet()) {
            Path p = work.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
            if (e.getKey().endsWith(".sh")) {
                p.toFile().setExecutable(true, false);
            }
        }
    }

    private static void commit(Path work, String message) throws Exception {
        sh(work, "git add -A && git -c user.name=t -c user.email=t@example.com -c commit.gpgsign=false commit -qm "
                + message);
    }

    private static void sh(Path dir, String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(script + ": " + out).isZero();
    }

    @Override
    public void close() throws InterruptedException {
        daemon.destroy();
        daemon.waitFor(5, TimeUnit.SECONDS);
    }
}
