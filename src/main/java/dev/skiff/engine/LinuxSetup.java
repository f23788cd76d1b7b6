package dev.skiff.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's --pid, --ipc, --uts, --cgroupns, --shm-size, --device, --device-cgroup-rule and --oom-score-adj
 * at start. {@link #resolve} only looks (other containers' namespaces, host devices) and fails before anything is
 * made; {@link #mountShm} then makes the one host-side thing: the tmpfs of a shareable IPC namespace's /dev/shm,
 * which {@link #releaseShm} removes once the process is gone.
 */
final class LinuxSetup {
    /** Where a shareable container's /dev/shm lives on the host, beside its other files (Docker: mounts/shm). */
    static final String SHM_DIR = "shm";

    private final ContainerStore store;
    private final EngineOptions options;

    LinuxSetup(ContainerStore store, EngineOptions options) {
        this.store = store;
        this.options = options;
    }

    /** What the runtime spec needs, and the /dev/shm mount (null for none or a runtime-made tmpfs). */
    record Resolved(RuntimeSpec.Linux linux, RuntimeSpec.Mount shm, long shmSize, boolean shareable) {
    }

    Resolved resolve(Container c) {
        ObjectNode h = c.hostConfig();
        String pidMode = ConfigMerger.text(h, "PidMode");
        RuntimeSpec.Namespace pid = pidMode.equals("host") ? RuntimeSpec.Namespace.HOST
                : HostConfigRules.isContainerRef(pidMode)
                ? RuntimeSpec.Namespace.join(nsOf(running(pidMode, "PID"), "pid"))
                : RuntimeSpec.Namespace.PRIVATE;
        RuntimeSpec.Namespace uts = ConfigMerger.text(h, "UTSMode").equals("host")
                ? RuntimeSpec.Namespace.HOST : RuntimeSpec.Namespace.PRIVATE;
        String cgroupMode = ConfigMerger.text(h, "CgroupnsMode");
        RuntimeSpec.Namespace cgroup = cgroupMode.equals("host") ? RuntimeSpec.Namespace.HOST
                : cgroupMode.equals("private") ? RuntimeSpec.Namespace.PRIVATE : null;
        long shmSize = h.path("ShmSize").asLong(0) > 0 ? h.path("ShmSize").asLong() : HostConfigRules.DEFAULT_SHM_SIZE;
        String ipcMode = ConfigMerger.text(h, "IpcMode");
        RuntimeSpec.Namespace ipc = RuntimeSpec.Namespace.PRIVATE;
        RuntimeSpec.Mount shm = null;
        boolean runtimeShm = true;
        boolean shareable = false;
        List<String> bindOpts = List.of("rbind", "nosuid", "noexec", "nodev");
        if (ipcMode.equals("host")) {
            ipc = RuntimeSpec.Namespace.HOST;
            if (!Files.isDirectory(Path.of("/dev/shm"))) {
                throw new InvalidArgumentException("/dev/shm is not mounted, but must be for --ipc=host");
            }
            shm = new RuntimeSpec.Mount("/dev/shm", "bind", "/dev/shm", bindOpts);
        } else if (HostConfigRules.isContainerRef(ipcMode)) {
            Container donor = running(ipcMode, "IPC");
            ipc = RuntimeSpec.Namespace.join(nsOf(donor, "ipc"));
            shm = new RuntimeSpec.Mount("/dev/shm", "bind", shmSourceOf(donor).toString(), bindOpts);
        } else if (ipcMode.equals("none")) {
            runtimeShm = false;
        } else if (ipcMode.equals("shareable")) {
            // the default (stored at create): the tmpfs lives on the host so that container:ID can bind the same one
            shareable = true;
            shm = new RuntimeSpec.Mount("/dev/shm", "bind", shmPath(c.id()).toString(), bindOpts);
        } else {
            // private, or a container created before IpcMode was stored (inspect shows those as private)
            shm = new RuntimeSpec.Mount("/dev/shm", "tmpfs", "shm",
                    List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + shmSize));
        }
        Integer oomScoreAdj = h.path("OomScoreAdj").asInt(0) != 0 ? h.path("OomScoreAdj").asInt() : null;
        DeviceMappings.Resolved devices = DeviceMappings.resolve(h);
        RuntimeSpec.Linux linux = new RuntimeSpec.Linux(pid, ipc, uts, cgroup, runtimeShm, devices.devices(),
                devices.rules(), oomScoreAdj);
        return new Resolved(linux, shm, shmSize, shareable);
    }

    /** Mounts the host-side tmpfs of a shareable /dev/shm (a leftover of a crash is replaced). */
    void mountShm(Container c, Resolved r) throws IOException {
        if (!r.shareable()) {
            return;
        }
        Path dir = shmPath(c.id());
        Files.createDirectories(dir);
        releaseShm(c.id());
        Syscalls.mount("shm", dir, "tmpfs", Syscalls.MS_NOSUID | Syscalls.MS_NODEV | Syscalls.MS_NOEXEC,
                "mode=1777,size=" + r.shmSize());
    }

    /** Unmounts the shareable /dev/shm if mounted; quiet when it is not. */
    void releaseShm(String id) {
        Path dir = shmPath(id);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            Syscalls.umount(dir, Syscalls.MNT_DETACH);
        } catch (IOException e) {
            // EINVAL: not mounted, the usual case
        }
    }

    Path shmPath(String id) {
        return options.containerDir(id).resolve(SHM_DIR);
    }

    private Container running(String mode, String what) {
        String other = HostConfigRules.joinedContainer(mode);
        Container o = store.resolve(other);
        if (!o.state().hasProcess() || o.state().pid() <= 0) {
            throw new ConflictException("failed to join " + what + " namespace: Container " + o.shortName()
                    + " is not running (start " + o.shortName() + " first)");
        }
        return o;
    }

    private static String nsOf(Container c, String type) {
        return "/proc/" + c.state().pid() + "/ns/" + type;
    }

    /** The donor's /dev/shm on the host: its shareable tmpfs, or the host's for --ipc host. */
    private Path shmSourceOf(Container donor) {
        String mode = ConfigMerger.text(donor.hostConfig(), "IpcMode");
        if (mode.equals("host")) {
            return Path.of("/dev/shm");
        }
        Path p = shmPath(donor.id());
        if (!mode.equals("shareable") || !Files.isDirectory(p)) {
            throw new InvalidArgumentException("failed to join IPC namespace: container " + donor.shortName()
                    + ": non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
        }
        return p;
    }

    static List<RuntimeSpec.Mount> withShm(RuntimeSpec.Mount shm, List<RuntimeSpec.Mount> userMounts) {
        // the user's own /dev/shm mount (-v, --tmpfs, --mount) wins, as in Docker
        if (shm == null || userMounts.stream().anyMatch(m -> m.destination().equals("/dev/shm"))) {
            return userMounts;
        }
        List<RuntimeSpec.Mount> out = new ArrayList<>();
        out.add(shm);
        out.addAll(userMounts);
        return out;
    }
}
