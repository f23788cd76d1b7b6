package dev.skiff.runtime.runc;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.oci.Capabilities;
import dev.skiff.runtime.oci.OciConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * What skiff-exec reads to start a process (src/main/c/skiff-exec.c, read_spec): keys and values, each ended by a
 * NUL, repeated keys adding to a list. A file rather than arguments: the environment may hold secrets, and a
 * command line is readable by every user of the host.
 */
final class ExecSpec {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);

    /**
     * @param namespaces the container's namespace types (config.json's linux.namespaces), all joined
     * @param seccomp    the profile file (see {@link SeccompProfileText}), or null when the container has none
     */
    static byte[] of(String id, RuncState state, List<String> namespaces, Path seccomp, OciConfig.Process p) {
        ExecSpec s = new ExecSpec();
        s.put("id", id).put("pid", Long.toString(state.initPid())).put("start", Long.toString(state.initStart()));
        s.put("ns", String.join(",", namespaces));
        for (String dir : state.cgroupDirs()) {
            s.put("cgroup", dir);
        }
        if (seccomp != null) {
            s.put("seccomp", seccomp.toString());
        }
        if (Boolean.TRUE.equals(p.noNewPrivileges())) {
            s.put("nnp", "1");
        }
        if (p.oomScoreAdj() != null) {
            s.put("oom", Integer.toString(p.oomScoreAdj()));
        }
        s.put("uid", Long.toString(p.user().uid())).put("gid", Long.toString(p.user().gid()));
        if (p.user().additionalGids() != null) {
            for (long g : p.user().additionalGids()) {
                s.put("group", Long.toString(g));
            }
        }
        OciConfig.Capabilities c = p.capabilities();
        if (c != null) {
            s.put("cap.bounding", mask(c.bounding())).put("cap.effective", mask(c.effective()))
                    .put("cap.permitted", mask(c.permitted())).put("cap.inheritable", mask(c.inheritable()))
                    .put("cap.ambient", mask(c.ambient()));
        }
        if (p.rlimits() != null) {
            for (OciConfig.Rlimit r : p.rlimits()) {
                s.put("rlimit", r.type() + " " + Long.toUnsignedString(r.soft()) + " " + Long.toUnsignedString(r.hard()));
            }
        }
        s.put("cwd", p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd());
        for (String e : p.env()) {
            s.put("env", e);
        }
        for (String a : p.args()) {
            s.put("arg", a);
        }
        return s.out.toByteArray();
    }

    private static String mask(List<String> caps) {
        return Long.toHexString(Capabilities.toMask(caps));
    }

    private ExecSpec put(String key, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("invalid exec " + key + " \"" + value.replace("\0", "\\x00")
                    + "\": contains a NUL byte");
        }
        out.writeBytes(key.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        return this;
    }
}
