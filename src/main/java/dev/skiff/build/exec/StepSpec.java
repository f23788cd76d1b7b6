package dev.skiff.build.exec;

import dev.skiff.build.BuildRequest;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.RuntimeSpec;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A RUN step's process as the runtime gets it: the argv, the image's Env plus the build args in scope, the
 * stage's WORKDIR and USER, the network mode and the build's resource limits.
 */
record StepSpec(String id, List<String> argv, List<String> env, String cwd, String user,
                RuntimeSpec.NetworkMode network, RuntimeSpec.Resources resources, List<RuntimeSpec.Rlimit> rlimits,
                long shmSize, dev.skiff.build.StepSandbox sandbox, String namedNetwork) {
    /** Mount points runc makes in the rootfs itself (the rest live inside the /dev tmpfs and sysfs). */
    static final List<String> DEFAULT_MOUNT_POINTS = List.of("/proc", "/dev", "/sys");
    private static final SecureRandom RANDOM = new SecureRandom();

    static StepSpec of(BuildSession session, ConfigState state, List<String> argv, List<String> runEnv, String network) {
        List<String> env = new ArrayList<>(state.env());
        env.addAll(runEnv);
        BuildRequest rq = session.request();
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new StepSpec(HexFormat.of().formatHex(b), argv, env, state.workingDir(), state.user(),
                networkMode(network), rq.resources(), rq.ulimits(), rq.shmSize(), rq.sandbox(), namedNetwork(network));
    }

    /**
     * none and host as Docker means them; "default" and "bridge" (and no mode) are the daemon's default bridge,
     * and any other name a user-defined network, as in Docker's classic builder: a namespace the step joins
     * ({@link RuntimeSpec.NetworkMode#PATH}).
     */
    static RuntimeSpec.NetworkMode networkMode(String mode) {
        String m = mode == null ? "default" : mode;
        if (m.startsWith("container:")) {
            throw new InvalidArgumentException("network mode \"" + mode + "\" is not supported for builds"
                    + " (use default, bridge, none, host or a network's name)");
        }
        return switch (m) {
            case "host" -> RuntimeSpec.NetworkMode.HOST;
            case "none" -> RuntimeSpec.NetworkMode.NONE;
            default -> RuntimeSpec.NetworkMode.PATH;
        };
    }

    /** The user-defined network {@code mode} names, or null for none, host and the default bridge. */
    static String namedNetwork(String mode) {
        return mode == null || List.of("default", "bridge", "", "host", "none").contains(mode) ? null : mode;
    }

    boolean hostNetwork() {
        return network == RuntimeSpec.NetworkMode.HOST;
    }

    boolean bridgeNetwork() {
        return network == RuntimeSpec.NetworkMode.PATH;
    }

    /** @param netns the bridge namespace the step joined, or null (then a bridge step runs without a network) */
    StepProcess process(Path rootfs, RunMounts mounts, String netns) {
        List<String> fullEnv = new ArrayList<>(env);
        fullEnv.addAll(mounts.env());
        RuntimeSpec.Process p = new RuntimeSpec.Process(argv, fullEnv, cwd, user == null || user.isEmpty() ? null : user,
                List.of(), false, List.of(), List.of(), rlimits);
        RuntimeSpec.NetworkMode mode = bridgeNetwork() && netns == null ? RuntimeSpec.NetworkMode.NONE : network;
        return new StepProcess(id, rootfs.toString(), p, mode, mode == RuntimeSpec.NetworkMode.PATH ? netns : null,
                mounts.mounts(), resources, shmSize, sandbox);
    }
}
