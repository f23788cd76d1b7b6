package dev.skiff.engine;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * docker top: runs the host's ps with the given arguments (Docker's default "-ef") and keeps the rows of the
 * container's processes, as Docker's daemon does.
 */
public final class TopService {
    /** Docker's answer: column titles and one row of strings per process. */
    public record Top(List<String> titles, List<List<String>> processes) {
    }

    private final ContainerService containers;

    public TopService(ContainerService containers) {
        this.containers = containers;
    }

    public Top top(String idOrName, String psArgs) {
        Container c = containers.get(idOrName);
        if (!c.state().hasProcess()) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
        Set<Integer> pids = new HashSet<>(containers.runtime().pids(c.id()));
        List<String> cmd = new ArrayList<>();
        cmd.add("ps");
        String args = psArgs == null || psArgs.isBlank() ? "-ef" : psArgs;
        cmd.addAll(List.of(args.trim().split("\\s+")));
        String output;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                // dockerd's words: ps's first line of complaint ("ps: error: unsupported option ...")
                throw new InvalidArgumentException("ps: " + output.strip().lines().findFirst().orElse("exited with "
                        + p.exitValue()));
            }
        } catch (IOException e) {
            throw new InternalException("cannot run ps: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("interrupted while running ps", e);
        }
        Top top = parse(output, pids);
        containers.events().publishContainer(c, "top", Map.of());
        return top;
    }

    static Top parse(String output, Set<Integer> pids) {
        String[] lines = output.split("\n");
        List<String> titles = List.of(lines[0].trim().split("\\s+"));
        int pidIndex = titles.indexOf("PID");
        if (pidIndex < 0) {
            throw new InvalidArgumentException("Couldn't find PID field in ps output (keep the PID column in ps_args)");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+", titles.size());
            if (f.length <= pidIndex) {
                continue;
            }
            try {
                if (pids.contains(Integer.parseInt(f[pidIndex]))) {
                    rows.add(List.of(f));
                }
            } catch (NumberFormatException e) {
                // a line that is not a process row
            }
        }
        return new Top(titles, rows);
    }
}
