package dev.skiff.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The real terminal, driven through stty and test -t in child processes that inherit our file
 * descriptors: the JDK has no isatty or termios of its own.
 */
final class SttyTerminal implements Terminal {
    @Override
    public boolean stdinIsTerminal() {
        return test("[ -t 0 ]");
    }

    @Override
    public boolean stdoutIsTerminal() {
        return test("[ -t 1 ]");
    }

    @Override
    public Optional<int[]> size() {
        try {
            String[] parts = sh("stty size < /dev/tty").strip().split("\\s+");
            return Optional.of(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public AutoCloseable makeRaw() throws IOException {
        String saved = sh("stty -g < /dev/tty").strip();
        sh("stty raw -echo < /dev/tty");
        return () -> sh("stty " + saved + " < /dev/tty");
    }

    private static boolean test(String script) {
        try {
            Process p = new ProcessBuilder("sh", "-c", script).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String sh(String script) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("terminal: '" + script + "' failed (is stdin a terminal?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("terminal: interrupted", e);
        }
        return out;
    }
}
