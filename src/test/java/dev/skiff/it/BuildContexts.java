package dev.skiff.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Build contexts written to temp directories, and `docker build` with the classic builder against a test daemon. */
final class BuildContexts {
    private BuildContexts() {
    }

    /** A context directory holding {@code files} (path to content), deleted by the caller's temp dir cleanup. */
    static Path context(Path parent, Map<String, String> files) {
        try {
            Path dir = Files.createTempDirectory(parent, "ctx-");
            for (var e : files.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** `DOCKER_BUILDKIT=0 docker build ARGS... DIR`. */
    static Cli.Result dockerBuild(SkiffdProcess d, Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "DOCKER_BUILDKIT=0", "docker", "build"));
        cmd.addAll(List.of(args));
        cmd.add(dir.toString());
        return Cli.run(d, cmd, null);
    }

    /**
     * What a container of {@code image} prints, read from its log after it exited rather than through attach
     * (an attached run of a container that exits at once can race with the attach on a loaded machine, which
     * is not what these tests are about).
     */
    static Cli.Result output(SkiffdProcess d, String... runArgs) {
        List<String> args = new ArrayList<>(List.of("run", "-d"));
        args.addAll(List.of(runArgs));
        String id = Cli.docker(d, args.toArray(String[]::new)).assertOk().out();
        Cli.Result wait = Cli.docker(d, "wait", id).assertOk();
        Cli.Result logs = Cli.docker(d, "logs", id);
        Cli.docker(d, "rm", "-f", id);
        return new Cli.Result(Integer.parseInt(wait.out()), logs.stdout() + logs.stderr(), "");
    }

    static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
