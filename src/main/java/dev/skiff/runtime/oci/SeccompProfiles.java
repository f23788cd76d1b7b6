package dev.skiff.runtime.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Converts a seccomp profile in Docker's format (archMap, and syscall rules conditional on capabilities,
 * architectures and kernel version) into OCI's linux.seccomp for one container on x86_64, the way
 * moby's profiles/seccomp.setupSeccomp does.
 */
public final class SeccompProfiles {
    /** The Go name of the architecture Docker's includes/excludes use, and libseccomp's name for it. */
    private static final String GO_ARCH = "amd64", SCMP_ARCH = "SCMP_ARCH_X86_64";
    private static final String SCMP_ARCH_X32 = "SCMP_ARCH_X32";
    private static final JsonNode DEFAULT = loadDefault();

    private SeccompProfiles() {
    }

    /** Docker's default profile (moby profiles/seccomp/default.json) converted for {@code caps}. */
    public static OciConfig.Seccomp defaultProfile(Collection<String> caps, HostInfo host) {
        return convert(DEFAULT, caps, host);
    }

    /** A profile given as JSON text (docker run --security-opt seccomp=FILE) converted for {@code caps}. */
    public static OciConfig.Seccomp fromJson(String json, Collection<String> caps, HostInfo host) {
        try {
            return convert(Json.MAPPER.readTree(json), caps, host);
        } catch (IOException e) {
            throw new InvalidArgumentException("seccomp profile is not valid JSON: " + e.getMessage(), e);
        }
    }

    static OciConfig.Seccomp convert(JsonNode profile, Collection<String> caps, HostInfo host) {
        List<String> arches = new ArrayList<>();
        if (profile.path("archMap").isArray() && !profile.path("architectures").isEmpty()) {
            throw new InvalidArgumentException("seccomp profile sets both architectures and archMap: use one");
        }
        for (JsonNode arch : profile.path("archMap")) {
            if (SCMP_ARCH.equals(arch.path("architecture").asText())) {
                arches.add(SCMP_ARCH);
                arch.path("subArchitectures").forEach(a -> arches.add(a.asText()));
            }
        }
        profile.path("architectures").forEach(a -> arches.add(a.asText()));
        if (!host.x32Abi()) {
            // No process can make an x32 call on this kernel; each architecture in the filter costs runc and
            // libseccomp compile time on every container start, exec and RUN step (x32: ~2 ms of ~37 here).
            arches.remove(SCMP_ARCH_X32);
        }
        List<OciConfig.Syscall> syscalls = new ArrayList<>();
        for (JsonNode rule : profile.path("syscalls")) {
            if (!applies(rule.path("includes"), true, caps, host) || !applies(rule.path("excludes"), false, caps, host)) {
                continue;
            }
            List<String> names = new ArrayList<>();
            rule.path("names").forEach(n -> names.add(n.asText()));
            if (rule.hasNonNull("name")) {
                names.add(rule.get("name").asText());
            }
            List<OciConfig.SyscallArg> args = null;
            if (rule.path("args").isArray() && !rule.path("args").isEmpty()) {
                args = new ArrayList<>();
                for (JsonNode a : rule.path("args")) {
                    long two = a.path("valueTwo").asLong(0);
                    args.add(new OciConfig.SyscallArg(a.path("index").asInt(), a.path("value").asLong(),
                            two == 0 ? null : two, a.path("op").asText()));
                }
            }
            syscalls.add(new OciConfig.Syscall(names, rule.path("action").asText(), intOrNull(rule, "errnoRet"), args));
        }
        return new OciConfig.Seccomp(profile.path("defaultAction").asText(), intOrNull(profile, "defaultErrnoRet"),
                arches.isEmpty() ? null : arches, syscalls);
    }

    /**
     * Docker's rule filter: an "includes" block needs every listed cap, the native arch among its arches and a
     * kernel at least minKernel; an "excludes" block drops the rule when any listed cap or the native arch
     * matches, or the kernel is at least its minKernel.
     */
    private static boolean applies(JsonNode block, boolean include, Collection<String> caps, HostInfo host) {
        if (block.isMissingNode() || block.isNull()) {
            return true;
        }
        List<String> wantCaps = strings(block.path("caps"));
        List<String> wantArches = strings(block.path("arches"));
        String minKernel = block.path("minKernel").asText("");
        if (include) {
            return caps.containsAll(wantCaps)
                    && (wantArches.isEmpty() || wantArches.contains(GO_ARCH))
                    && (minKernel.isEmpty() || host.kernelAtLeast(minKernel));
        }
        return wantCaps.stream().noneMatch(caps::contains)
                && !wantArches.contains(GO_ARCH)
                && (minKernel.isEmpty() || !host.kernelAtLeast(minKernel));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Integer intOrNull(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asInt() : null;
    }

    private static JsonNode loadDefault() {
        try (InputStream in = SeccompProfiles.class.getResourceAsStream("/dev/skiff/runtime/seccomp-default.json")) {
            if (in == null) {
                throw new InternalException("the default seccomp profile is missing from the Skiff jar (rebuild it)");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new InternalException("cannot read the default seccomp profile: " + e.getMessage(), e);
        }
    }
}
