package dev.skiff.build.exec;

import dev.skiff.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The image config while a stage builds: starts as the base image's, each metadata instruction changes it, and
 * every committed step stores a snapshot of it ({@link #toConfig()}). Not thread-safe: one stage, one thread.
 */
public final class ConfigState {
    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    String user;
    Map<String, Object> exposedPorts;
    List<String> env = new ArrayList<>();
    List<String> entrypoint;
    List<String> cmd;
    Map<String, Object> volumes;
    String workingDir;
    Map<String, String> labels;
    String stopSignal;
    Boolean argsEscaped;
    Map<String, Object> healthcheck;
    List<String> onBuild;
    List<String> shell;

    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * The config of a base image (null for scratch: an empty config). Either way the stage's env gets Docker's
     * default PATH when it has none (the classic builder's setDefaultPath, BuildKit's too), and so does the image.
     */
    public static ConfigState from(ImageConfig.Config c) {
        ConfigState s = fromBase(c);
        if (s.env.stream().noneMatch(e -> e.startsWith("PATH="))) {
            s.env.add(DEFAULT_PATH);
        }
        return s;
    }

    private static ConfigState fromBase(ImageConfig.Config c) {
        ConfigState s = new ConfigState();
        if (c == null) {
            return s;
        }
        s.user = c.user();
        s.exposedPorts = copy(c.exposedPorts());
        s.env = c.env() == null ? new ArrayList<>() : new ArrayList<>(c.env());
        s.entrypoint = c.entrypoint();
        s.cmd = c.cmd();
        s.volumes = copy(c.volumes());
        s.workingDir = c.workingDir();
        s.labels = c.labels() == null ? null : new LinkedHashMap<>(c.labels());
        s.stopSignal = c.stopSignal();
        s.argsEscaped = c.argsEscaped();
        s.healthcheck = c.healthcheck();
        // OnBuild triggers run once, in the build that uses the image as its base: the new image starts without.
        s.onBuild = null;
        s.shell = c.shell();
        return s;
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? null : new TreeMap<>(m);
    }

    public ImageConfig.Config toConfig() {
        return new ImageConfig.Config(blankToNull(user), exposedPorts == null ? null : new TreeMap<>(exposedPorts),
                env.isEmpty() ? null : List.copyOf(env), entrypoint, cmd,
                volumes == null ? null : new TreeMap<>(volumes), blankToNull(workingDir),
                labels == null ? null : new LinkedHashMap<>(labels), blankToNull(stopSignal), argsEscaped,
                healthcheck, onBuild == null || onBuild.isEmpty() ? null : List.copyOf(onBuild), shell);
    }

    /** The shell of shell-form commands: SHELL's, else /bin/sh -c. */
    public List<String> shell() {
        return shell == null || shell.isEmpty() ? DEFAULT_SHELL : shell;
    }

    /** The value of an environment variable, or null. */
    public String env(String name) {
        String prefix = name + "=";
        for (String e : env) {
            if (e.startsWith(prefix)) {
                return e.substring(prefix.length());
            }
        }
        return null;
    }

    /** The environment as a map, in order (for variable substitution). */
    public Map<String, String> envMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                m.put(e.substring(0, eq), e.substring(eq + 1));
            } else {
                m.put(e, "");
            }
        }
        return m;
    }

    /**
     * Sets or replaces one ENV instruction's variables, in order, keeping the position of one that was already set
     * (as Docker does). One pass over what is set, through an index: a scan of the list per variable made an ENV of
     * 40,000 variables take 14 s (quadratic), and a 10 MB one held a core for good.
     */
    public void setEnv(Map<String, String> vars) {
        Map<String, Integer> at = new java.util.HashMap<>();
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i);
            int eq = e.indexOf('=');
            at.putIfAbsent(eq < 0 ? e : e.substring(0, eq), i);
        }
        vars.forEach((name, value) -> {
            String entry = name + "=" + value;
            Integer i = at.get(name);
            if (i != null) {
                env.set(i, entry);
            } else {
                at.put(name, env.size());
                env.add(entry);
            }
        });
    }

    public void setLabel(String key, String value) {
        if (labels == null) {
            labels = new LinkedHashMap<>();
        }
        labels.put(key, value);
    }

    public void expose(String port) {
        if (exposedPorts == null) {
            exposedPorts = new TreeMap<>();
        }
        exposedPorts.put(port, Map.of());
    }

    public void volume(String path) {
        if (volumes == null) {
            volumes = new TreeMap<>();
        }
        volumes.put(path, Map.of());
    }

    public void addOnBuild(String expression) {
        if (onBuild == null) {
            onBuild = new ArrayList<>();
        }
        onBuild.add(expression);
    }

    public void user(String u) {
        user = u;
    }

    public void workingDir(String w) {
        workingDir = w;
    }

    public String workingDir() {
        return workingDir == null || workingDir.isEmpty() ? "/" : workingDir;
    }

    public String user() {
        return user;
    }

    public void cmd(List<String> c) {
        cmd = c;
    }

    public void entrypoint(List<String> e) {
        entrypoint = e;
    }

    public List<String> cmd() {
        return cmd;
    }

    public void stopSignal(String s) {
        stopSignal = s;
    }

    public void healthcheck(Map<String, Object> h) {
        healthcheck = h;
    }

    public void shell(List<String> s) {
        shell = s;
    }

    public void argsEscaped(Boolean b) {
        argsEscaped = b;
    }

    public List<String> env() {
        return List.copyOf(env);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
