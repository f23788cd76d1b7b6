package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * HostConfig.Devices and DeviceCgroupRules in OCI terms, as moby's oci.DevicesFromPath reads them: a device node
 * on the host becomes the same node (type, numbers, mode, owner) at the container path plus an allow rule with
 * its permissions; a directory brings every device node under it.
 */
final class DeviceMappings {

    private DeviceMappings() {
    }

    record Resolved(List<RuntimeSpec.Device> devices, List<RuntimeSpec.DeviceRule> rules) {
    }

    /** @throws InvalidArgumentException with Docker's "error gathering device information ..." for a bad host path */
    static Resolved resolve(JsonNode hostConfig) {
        List<RuntimeSpec.Device> devices = new ArrayList<>();
        List<RuntimeSpec.DeviceRule> rules = new ArrayList<>();
        for (String rule : ConfigMerger.strings(hostConfig.get("DeviceCgroupRules"))) {
            rules.add(parseRule(rule));
        }
        for (JsonNode d : hostConfig.path("Devices")) {
            String onHost = d.path("PathOnHost").asText("");
            String inContainer = d.path("PathInContainer").asText("");
            String perms = d.path("CgroupPermissions").asText("");
            add(onHost, inContainer.isEmpty() ? onHost : inContainer, perms.isEmpty() ? "rwm" : perms, devices, rules);
        }
        return new Resolved(devices, rules);
    }

    /** "c 42:* rmw" (validated at create by {@link HostConfigRules}). */
    static RuntimeSpec.DeviceRule parseRule(String rule) {
        Matcher m = HostConfigRules.DEVICE_CGROUP_RULE.matcher(rule);
        if (!m.matches()) {
            throw new InvalidArgumentException("invalid device cgroup rule format: '" + rule + "'");
        }
        return new RuntimeSpec.DeviceRule(true, m.group(1), number(m.group(2)), number(m.group(3)), m.group(4));
    }

    private static Long number(String s) {
        return s.equals("*") ? null : Long.parseLong(s);
    }

    private static void add(String onHost, String inContainer, String perms, List<RuntimeSpec.Device> devices,
                            List<RuntimeSpec.DeviceRule> rules) {
        Path host = Path.of(onHost);
        try {
            Path resolved = Files.isSymbolicLink(host) ? host.toRealPath() : host;
            if (Files.isDirectory(resolved)) {
                int before = devices.size();
                try (Stream<Path> walk = Files.walk(resolved)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        RuntimeSpec.Device dev = node(p, inContainer + p.toString().substring(resolved.toString().length()));
                        if (dev != null) {
                            devices.add(dev);
                            rules.add(rule(dev, perms));
                        }
                    }
                }
                if (devices.size() > before) {
                    return;
                }
                throw gatherFailed(onHost, "not a device node");
            }
            RuntimeSpec.Device dev = node(resolved, inContainer);
            if (dev == null) {
                throw gatherFailed(onHost, "not a device node");
            }
            devices.add(dev);
            rules.add(rule(dev, perms));
        } catch (java.nio.file.NoSuchFileException e) {
            throw gatherFailed(onHost, "no such file or directory");
        } catch (IOException e) {
            throw gatherFailed(onHost, e.getMessage());
        }
    }

    /** The device node at {@code p}, or null when p is no character or block device. */
    private static RuntimeSpec.Device node(Path p, String inContainer) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int fmt = mode & Syscalls.S_IFMT;
        if (fmt != Syscalls.S_IFCHR && fmt != Syscalls.S_IFBLK) {
            return null;
        }
        long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        return new RuntimeSpec.Device(inContainer, fmt == Syscalls.S_IFCHR ? "c" : "b", Syscalls.major(rdev),
                Syscalls.minor(rdev), mode & 07777, uid, gid);
    }

    private static RuntimeSpec.DeviceRule rule(RuntimeSpec.Device d, String perms) {
        return new RuntimeSpec.DeviceRule(true, d.type(), d.major(), d.minor(), perms);
    }

    private static InvalidArgumentException gatherFailed(String onHost, String why) {
        return new InvalidArgumentException("error gathering device information while adding custom device \""
                + onHost + "\": " + why);
    }
}
