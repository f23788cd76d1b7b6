package dev.skiff.runtime.runc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a helper binary (runc, conmon, tini) says of itself with {@code --version}, for `docker version`'s
 * components and `docker info`'s "runc version" lines, as dockerd reports containerd's, runc's and docker-init's.
 *
 * @param name    the component's name in the API ("runc", "conmon", "docker-init")
 * @param version its version ("1.1.5+ds1"), or "unknown" when it could not be asked
 * @param commit  the commit it names ("commit: ..."), or "" when it names none
 */
public record ComponentVersion(String name, String version, String commit) {
    private static final Pattern VERSION = Pattern.compile("(?m)^\\S+ version (\\S+)");
    private static final Pattern COMMIT = Pattern.compile("(?m)^commit: (\\S+)");
    private static final int MAX_OUTPUT = 4096;

    /** Runs {@code binary --version} (at most 5 s); a binary that is missing or fails gives "unknown". */
    public static ComponentVersion probe(String name, Path binary) {
        if (binary == null) {
            return new ComponentVersion(name, "unknown", "");
        }
        try {
            Process p = RuntimeEnvironment.apply(new ProcessBuilder(binary.toString(), "--version"))
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
            } finally {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            return parse(name, out);
        } catch (IOException e) {
            return new ComponentVersion(name, "unknown", "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ComponentVersion(name, "unknown", "");
        }
    }

    /** Reads "NAME version V" and "commit: C" lines, as runc, conmon and tini print them. */
    static ComponentVersion parse(String name, String output) {
        Matcher v = VERSION.matcher(output);
        Matcher c = COMMIT.matcher(output);
        return new ComponentVersion(name, v.find() ? v.group(1) : "unknown", c.find() ? c.group(1) : "");
    }
}
