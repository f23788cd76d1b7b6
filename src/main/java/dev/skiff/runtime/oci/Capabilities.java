package dev.skiff.runtime.oci;

import dev.skiff.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Linux capability names, Docker's default set and Docker's --cap-add/--cap-drop arithmetic. */
public final class Capabilities {
    /** Every capability by bit number (linux/capability.h). */
    static final List<String> BY_BIT = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
            "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG",
            "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
            "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON",
            "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /** Docker's default set (moby oci/caps/defaults.go), in Docker's order. */
    public static final List<String> DOCKER_DEFAULT = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    private Capabilities() {
    }

    /** The mask of named capabilities (as /proc/PID/status shows it); a name this table lacks is refused, as runc does. */
    public static long toMask(java.util.Collection<String> names) {
        long mask = 0;
        for (String name : names == null ? List.<String>of() : names) {
            int bit = BY_BIT.indexOf(name);
            if (bit < 0) {
                throw new InvalidArgumentException("unknown capability " + name);
            }
            mask |= 1L << bit;
        }
        return mask;
    }

    /** The names of the bits set in a /proc/PID/status capability mask. */
    public static Set<String> fromMask(long mask) {
        Set<String> names = new LinkedHashSet<>();
        for (int bit = 0; bit < BY_BIT.size(); bit++) {
            if ((mask & (1L << bit)) != 0) {
                names.add(BY_BIT.get(bit));
            }
        }
        return names;
    }

    /**
     * The container's capability set: Docker's TweakCapabilities. "ALL" in add means every capability but the
     * dropped ones; "ALL" in drop means only the added ones; otherwise defaults minus drop plus add. Names take
     * or leave the CAP_ prefix, in any case. Capabilities outside the host's bounding set are left out of
     * "ALL" and refused when asked for by name, since runc cannot grant them.
     */
    public static List<String> effective(List<String> capAdd, List<String> capDrop, boolean privileged,
                                         Set<String> bounding) {
        if (privileged) {
            return BY_BIT.stream().filter(bounding::contains).toList();
        }
        List<String> add = normalize(capAdd);
        List<String> drop = normalize(capDrop);
        Set<String> caps = new LinkedHashSet<>();
        if (add.contains("ALL")) {
            BY_BIT.stream().filter(bounding::contains).filter(c -> !drop.contains(c)).forEach(caps::add);
            return new ArrayList<>(caps);
        }
        if (!drop.contains("ALL")) {
            DOCKER_DEFAULT.stream().filter(c -> !drop.contains(c)).forEach(caps::add);
        }
        for (String c : add) {
            if (!bounding.contains(c)) {
                throw new InvalidArgumentException("cannot add capability " + c
                        + ": the daemon's own bounding set lacks it on this host (leave it out of --cap-add)");
            }
            caps.add(c);
        }
        caps.retainAll(bounding);
        return new ArrayList<>(caps);
    }

    /**
     * Refuses a --cap-add or --cap-drop name no kernel knows, at create as dockerd does (else the container would be
     * made and fail at its first start).
     *
     * @param field "CapAdd" or "CapDrop", named in the message as dockerd names it
     */
    public static void check(List<String> names, String field) {
        try {
            normalize(names);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("invalid " + field + ": " + e.getMessage());
        }
    }

    static List<String> normalize(List<String> names) {
        List<String> out = new ArrayList<>();
        if (names == null) {
            return out;
        }
        for (String raw : names) {
            String name = raw.trim().toUpperCase(Locale.ROOT);
            if (name.equals("ALL")) {
                out.add(name);
                continue;
            }
            if (!name.startsWith("CAP_")) {
                name = "CAP_" + name;
            }
            if (!BY_BIT.contains(name)) {
                throw new InvalidArgumentException("unknown capability: \"" + raw + "\" (see capabilities(7) for names)");
            }
            out.add(name);
        }
        return out;
    }
}
