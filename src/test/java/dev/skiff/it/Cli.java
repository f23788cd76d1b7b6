package dev.skiff.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real docker CLI and the skiff CLI against a test daemon, as a person would from a shell. */
public final class Cli {
    private Cli() {
    }

    /** The outcome of one command. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }

        public String out() {
            return stdout.strip();
        }
    }

    /** Runs `docker ARGS...` with DOCKER_HOST pointing at the daemon. */
    public static Result docker(SkiffdProcess d, String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return run(d, cmd, null);
    }

    /** Runs `docker ARGS...` feeding {@code stdin}. */
    public static Result dockerWithInput(SkiffdProcess d, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return run(d, cmd, stdin);
    }

    /** Runs `bin/skiff ARGS...` from the repository with SKIFF_HOST pointing at the daemon. */
    public static Result skiff(SkiffdProcess d, String... args) {
        return skiffWithInput(d, null, args);
    }

    public static Result skiffWithInput(SkiffdProcess d, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "--enable-native-access=ALL-UNNAMED", "-XX:UserThreadWaitAttemptsAtExit=0",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.skiff.cli.Main"));
        cmd.addAll(List.of(args));
        return run(d, cmd, stdin);
    }

    /** Runs any command with the daemon's client environment. */
    public static Result run(SkiffdProcess d, List<String> cmd, byte[] stdin) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (d != null) {
                pb.environment().putAll(d.clientEnv());
            }
            pb.directory(repo().toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The repository root (tests run with it as the working directory). */
    public static Path repo() {
        return Path.of(System.getProperty("skiff.repo", ".")).toAbsolutePath();
    }

    /** A busybox rootfs tar made by bin/busybox-rootfs. */
    public static byte[] busyboxRootfs() {
        try {
            Process p = new ProcessBuilder(repo().resolve("bin/busybox-rootfs").toString()).start();
            byte[] tar = p.getInputStream().readAllBytes();
            p.waitFor();
            return tar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                return buf.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
