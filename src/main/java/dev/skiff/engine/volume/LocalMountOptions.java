package dev.skiff.engine.volume;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Syscalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The local driver's options as Docker's local driver reads them: {@code type} (the filesystem: tmpfs, nfs,
 * none, ext4, ...), {@code o} (mount options, comma separated) and {@code device} (what to mount: "tmpfs", a
 * block device, a directory with o=bind, ":/export" for NFS). Translated into one mount(2) call the way
 * moby's mount package does: flag words become mount flags, the rest is the filesystem's data string.
 *
 * @param source        mount(2)'s source (the device)
 * @param fstype        mount(2)'s filesystem type; null for a bind
 * @param flags         MS_* flags
 * @param data          the filesystem's option string ("size=100m,uid=1000", "addr=10.0.0.2,nfsvers=4")
 * @param propagation   MS_SHARED/MS_SLAVE/MS_PRIVATE (with MS_REC) applied after the mount, 0 for none
 */
public record LocalMountOptions(String source, String fstype, long flags, String data, long propagation) {
    private static final Set<String> VALID = Set.of("type", "o", "device");
    private static final long MS_NOSUID = Syscalls.MS_NOSUID, MS_NODEV = Syscalls.MS_NODEV, MS_NOEXEC = Syscalls.MS_NOEXEC;
    private static final long MS_SYNCHRONOUS = 16, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;
    /** word → {clear?, flag}: as moby/sys/mount's flag table. */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("defaults", new long[] {0, 0}), Map.entry("ro", new long[] {0, Syscalls.MS_RDONLY}),
            Map.entry("rw", new long[] {1, Syscalls.MS_RDONLY}), Map.entry("suid", new long[] {1, MS_NOSUID}),
            Map.entry("nosuid", new long[] {0, MS_NOSUID}), Map.entry("dev", new long[] {1, MS_NODEV}),
            Map.entry("nodev", new long[] {0, MS_NODEV}), Map.entry("exec", new long[] {1, MS_NOEXEC}),
            Map.entry("noexec", new long[] {0, MS_NOEXEC}), Map.entry("sync", new long[] {0, MS_SYNCHRONOUS}),
            Map.entry("async", new long[] {1, MS_SYNCHRONOUS}), Map.entry("dirsync", new long[] {0, MS_DIRSYNC}),
            Map.entry("mand", new long[] {0, MS_MANDLOCK}), Map.entry("nomand", new long[] {1, MS_MANDLOCK}),
            Map.entry("atime", new long[] {1, MS_NOATIME}), Map.entry("noatime", new long[] {0, MS_NOATIME}),
            Map.entry("diratime", new long[] {1, MS_NODIRATIME}), Map.entry("nodiratime", new long[] {0, MS_NODIRATIME}),
            Map.entry("bind", new long[] {0, Syscalls.MS_BIND}),
            Map.entry("rbind", new long[] {0, Syscalls.MS_BIND | Syscalls.MS_REC}),
            Map.entry("relatime", new long[] {0, MS_RELATIME}), Map.entry("norelatime", new long[] {1, MS_RELATIME}),
            Map.entry("strictatime", new long[] {0, MS_STRICTATIME}), Map.entry("nostrictatime", new long[] {1, MS_STRICTATIME}));
    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", Syscalls.MS_PRIVATE, "rprivate", Syscalls.MS_PRIVATE | Syscalls.MS_REC,
            "shared", Syscalls.MS_SHARED, "rshared", Syscalls.MS_SHARED | Syscalls.MS_REC,
            "slave", Syscalls.MS_SLAVE, "rslave", Syscalls.MS_SLAVE | Syscalls.MS_REC);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Docker's local driver checks: only type, o and device; type and o need device.
     *
     * @throws InvalidArgumentException "invalid option: \"x\"" or "missing required option: \"device\""
     */
    public static void validate(Map<String, String> options) {
        if (options == null || options.isEmpty()) {
            return;
        }
        for (String key : options.keySet()) {
            if (key.equals("size")) {
                throw new InvalidArgumentException("quota size requested but no quota support "
                        + "(the local driver's size option needs an XFS data root with project quotas; "
                        + "use --opt type=tmpfs --opt device=tmpfs --opt o=size=... for a bounded volume)");
            }
            if (!VALID.contains(key)) {
                throw new InvalidArgumentException("invalid option: \"" + key + "\"");
            }
        }
        if ((options.containsKey("type") || options.containsKey("o")) && !options.containsKey("device")) {
            throw new InvalidArgumentException("missing required option: \"device\"");
        }
    }

    /** Whether a volume with these options is a real mount rather than a plain directory. */
    public static boolean needsMount(Map<String, String> options) {
        return options != null && (!options.getOrDefault("device", "").isEmpty() || !options.getOrDefault("type", "").isEmpty());
    }

    /**
     * The mount(2) arguments for a volume's options.
     *
     * @param resolveHost for NFS: turns the host name in {@code addr=} into an address, as Docker does (the
     *                    kernel's NFS client wants an address; no mount.nfs helper is involved)
     */
    public static LocalMountOptions translate(Map<String, String> options, UnaryOperator<String> resolveHost) {
        validate(options);
        String device = options.getOrDefault("device", "");
        if (device.isEmpty()) {
            throw new InvalidArgumentException("missing device in volume options");
        }
        String type = options.getOrDefault("type", "");
        long flags = 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        for (String word : options.getOrDefault("o", "").split(",")) {
            if (word.isEmpty()) {
                continue;
            }
            long[] f = FLAGS.get(word);
            if (f != null) {
                flags = f[0] == 1 ? flags & ~f[1] : flags | f[1];
            } else if (PROPAGATION.containsKey(word)) {
                propagation = PROPAGATION.get(word);
            } else if (type.equals("nfs") && word.startsWith("addr=")) {
                String addr = word.substring("addr=".length());
                data.add("addr=" + (IPV4.matcher(addr).matches() || addr.contains(":") ? addr : resolveHost.apply(addr)));
            } else {
                data.add(word);
            }
        }
        boolean bind = (flags & Syscalls.MS_BIND) != 0;
        String fstype = bind || type.isEmpty() || type.equals("none") ? (bind ? null : "none") : type;
        return new LocalMountOptions(device, fstype, flags, data.isEmpty() ? null : String.join(",", data), propagation);
    }

    /** A read-only bind needs a second, remounting call: the kernel ignores MS_RDONLY on the first. */
    public boolean readOnlyBind() {
        return (flags & Syscalls.MS_BIND) != 0 && (flags & Syscalls.MS_RDONLY) != 0;
    }
}
