package dev.skiff.build;

/**
 * How a build's RUN steps are confined beyond their limits, from POST /build's {@code securityopt} and
 * {@code cgroupparent} (dockerd gives its classic builder's step containers both): the seccomp profile, no new
 * privileges, and the cgroup their cgroups go under.
 *
 * @param seccompProfile null for Docker's default profile, "unconfined" for none, or a profile's JSON
 * @param cgroupParent   the parent cgroup's path, or "" for the daemon's
 */
public record StepSandbox(String seccompProfile, boolean noNewPrivileges, String cgroupParent) {
    public static final StepSandbox DEFAULT = new StepSandbox(null, false, "");

    public StepSandbox {
        cgroupParent = cgroupParent == null ? "" : cgroupParent;
    }
}
