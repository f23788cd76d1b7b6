package dev.skiff.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecGeneratorTest {
    /** A host like this one: everything but CAP_MAC_OVERRIDE, cgroup v1, a 20000 open-files hard limit. */
    static final HostInfo HOST = host(false);

    @TempDir
    Path rootfs;

    static HostInfo host(boolean v2) {
        Set<String> bounding = new HashSet<>(Capabilities.BY_BIT);
        bounding.remove("CAP_MAC_OVERRIDE");
        return new HostInfo(bounding, v2, true, false, "6.1", Map.of("RLIMIT_NOFILE", 20000L), null);
    }

    private OciConfig generate(RuntimeSpec spec) {
        return new OciSpecGenerator(HOST, "/skiff").generate("abc", spec);
    }

    private RuntimeSpec spec(RuntimeSpec.Process p, boolean privileged, RuntimeSpec.Resources r) {
        return new RuntimeSpec(p, rootfs.toString(), false, "host1", null, privileged, List.of(), r,
                RuntimeSpec.NetworkMode.NONE, null, null, false, Map.of(), null, false, Map.of());
    }

    private static RuntimeSpec.Process proc(String user, List<String> add, List<String> drop) {
        return new RuntimeSpec.Process(List.of("sh"), List.of("A=1"), null, user, List.of(), false, add, drop, List.of());
    }

    @Test
    void defaults_areDockers() {
        OciConfig c = generate(spec(proc(null, List.of(), List.of()), false, RuntimeSpec.Resources.NONE));
        assertThat(c.ociVersion()).isEqualTo("1.0.2");
        assertThat(c.process().capabilities().bounding()).containsExactlyElementsOf(Capabilities.DOCKER_DEFAULT);
        assertThat(c.process().env()).contains("A=1", "HOSTNAME=host1", "HOME=/")
                .anyMatch(e -> e.startsWith("PATH=/usr/local/sbin"));
        assertThat(c.process().cwd()).isEqualTo("/");
        assertThat(c.linux().maskedPaths()).contains("/proc/kcore", "/sys/firmware");
        assertThat(c.linux().readonlyPaths()).contains("/proc/sys", "/proc/sysrq-trigger");
        assertThat(c.linux().namespaces()).extracting(OciConfig.Namespace::type)
                .containsExactly("pid", "ipc", "uts", "mount", "network");
        assertThat(c.linux().cgroupsPath()).isEqualTo("/skiff/abc");
        assertThat(c.hooks()).as("loopback is brought up by the runtime after create, not by a hook").isNull();
        assertThat(c.mounts()).extracting(OciConfig.Mount::destination)
                .contains("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup");
        assertThat(c.linux().resources().devices().getFirst().allow()).isFalse();
        assertThat(c.linux().seccomp().defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
    }

    @Test
    void cgroupNamespace_onlyOnV2_andHostNetworkHasNoNetns() {
        RuntimeSpec s = new RuntimeSpec(proc(null, List.of(), List.of()), rootfs.toString(), false, null, null, false,
                List.of(), null, RuntimeSpec.NetworkMode.HOST, null, null, false, Map.of(), "/mine", false, Map.of());
        OciConfig c = new OciSpecGenerator(host(true), "/skiff").generate("x", s);
        assertThat(c.linux().namespaces()).extracting(OciConfig.Namespace::type)
                .containsExactly("pid", "ipc", "uts", "mount", "cgroup");
        assertThat(c.linux().cgroupsPath()).isEqualTo("/mine/x");
        assertThat(c.hooks()).isNull();
    }

    @Test
    void capAddDrop_followDockerRules() {
        assertThat(Capabilities.effective(List.of("net_admin", "CAP_SYS_TIME"), List.of("chown", "Cap_Kill"), false,
                HOST.boundingCaps()))
                .contains("CAP_NET_ADMIN", "CAP_SYS_TIME").doesNotContain("CAP_CHOWN", "CAP_KILL");
        assertThat(Capabilities.effective(List.of("NET_ADMIN"), List.of("ALL"), false, HOST.boundingCaps()))
                .containsExactly("CAP_NET_ADMIN");
        assertThat(Capabilities.effective(List.of("all"), List.of("SYS_ADMIN"), false, HOST.boundingCaps()))
                .contains("CAP_SYS_MODULE").doesNotContain("CAP_SYS_ADMIN", "CAP_MAC_OVERRIDE");
        assertThatThrownBy(() -> Capabilities.effective(List.of("NOPE"), List.of(), false, HOST.boundingCaps()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown capability");
        assertThatThrownBy(() -> Capabilities.effective(List.of("MAC_OVERRIDE"), List.of(), false, HOST.boundingCaps()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("bounding set");
    }

    @Test
    void privileged_getsTheHostsBoundingSet_noSeccomp_noMasks_allDevices() {
        OciConfig c = generate(spec(proc(null, List.of(), List.of()), true, null));
        assertThat(c.process().capabilities().bounding()).hasSize(HOST.boundingCaps().size())
                .doesNotContain("CAP_MAC_OVERRIDE").contains("CAP_SYS_ADMIN");
        assertThat(c.linux().seccomp()).isNull();
        assertThat(c.linux().maskedPaths()).isNull();
        assertThat(c.linux().readonlyPaths()).isNull();
        assertThat(c.linux().resources().devices()).singleElement()
                .satisfies(d -> assertThat(d.allow()).isTrue());
        assertThat(c.mounts()).filteredOn(m -> m.destination().equals("/sys")).singleElement()
                .satisfies(m -> assertThat(m.options()).contains("rw"));
    }

    @Test
    void seccomp_conversionFollowsCapsAndArch() {
        OciConfig.Seccomp plain = SeccompProfiles.defaultProfile(Capabilities.DOCKER_DEFAULT, HOST);
        assertThat(plain.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(plain.defaultErrnoRet()).isEqualTo(1);
        assertThat(names(plain)).contains("read", "arch_prctl", "chroot", "ptrace").doesNotContain("mount", "reboot",
                "s390_pci_mmio_read", "sync_file_range2");
        // clone is allowed only with a flag mask when CAP_SYS_ADMIN is absent
        assertThat(plain.syscalls()).filteredOn(s -> s.names().contains("clone")).singleElement()
                .satisfies(s -> assertThat(s.args()).isNotEmpty());

        List<String> admin = Capabilities.effective(List.of("SYS_ADMIN"), List.of(), false, HOST.boundingCaps());
        OciConfig.Seccomp withAdmin = SeccompProfiles.defaultProfile(admin, HOST);
        assertThat(names(withAdmin)).contains("mount", "umount2", "setns");
        assertThat(withAdmin.syscalls()).filteredOn(s -> s.names().contains("clone"))
                .allSatisfy(s -> assertThat(s.args()).isNull());
    }

    @Test
    void seccomp_leavesOutX32WhereTheKernelHasNoX32Abi() {
        HostInfo noX32 = new HostInfo(HOST.boundingCaps(), false, true, false, "6.1", Map.of(), null, false);
        assertThat(SeccompProfiles.defaultProfile(Capabilities.DOCKER_DEFAULT, noX32).architectures())
                .containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86");
        OciConfig.Seccomp custom = SeccompProfiles.fromJson("""
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"],
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}""", Capabilities.DOCKER_DEFAULT, noX32);
        assertThat(custom.architectures()).containsExactly("SCMP_ARCH_X86_64");
    }

    @Test
    void x32Probe_agreesWithTheKernelConfig() throws Exception {
        Path config = Path.of("/proc/config.gz");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(config)
                && "amd64".equals(System.getProperty("os.arch")), "needs /proc/config.gz on x86_64");
        String text;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(config))) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        if (!text.contains("\nCONFIG_X86_X32_ABI=y")) {
            assertThat(dev.skiff.sys.Syscalls.x32Abi()).as("a kernel built without x32").isFalse();
        } else if (Files.readString(Path.of("/proc/cmdline")).contains("syscall.x32=y")) {
            assertThat(dev.skiff.sys.Syscalls.x32Abi()).as("x32 built in and switched on").isTrue();
        }
    }

    @Test
    void seccomp_unconfinedAndCustom() {
        RuntimeSpec base = spec(proc(null, List.of(), List.of()), false, null);
        RuntimeSpec unconfined = new RuntimeSpec(base.process(), base.rootfs(), false, null, null, false, List.of(),
                null, RuntimeSpec.NetworkMode.NONE, null, "unconfined", false, Map.of(), null, false, Map.of());
        assertThat(generate(unconfined).linux().seccomp()).isNull();
        String custom = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"chmod\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}";
        OciConfig.Seccomp s = SeccompProfiles.fromJson(custom, List.of(), HOST);
        assertThat(s.defaultAction()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(s.syscalls()).singleElement().satisfies(c -> assertThat(c.errnoRet()).isEqualTo(1));
    }

    @Test
    void bareEnvName_unsetsRatherThanReachingRunc() {
        RuntimeSpec.Process p = new RuntimeSpec.Process(List.of("sh"), List.of("A=1", "B", "=x", "C="), null, null,
                List.of(), false, List.of(), List.of(), List.of());
        assertThat(generate(spec(p, false, null)).process().env()).contains("A=1", "C=")
                .noneMatch(e -> e.equals("B") || e.startsWith("B=") || e.startsWith("="));
    }

    @Test
    void user_isResolvedAgainstTheRootfs() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33::/var/www:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nwww:x:33:\nstaff:x:50:www,other\naudio:x:29:\n");

        OciConfig c = generate(spec(proc("www", List.of(), List.of()), false, null));
        assertThat(c.process().user()).isEqualTo(new OciConfig.User(33, 33, List.of(33L, 50L)));
        assertThat(c.process().env()).contains("HOME=/var/www");

        assertThat(UserResolver.resolve(rootfs, "www:audio", List.of("staff", "7")))
                .isEqualTo(new UserResolver.ResolvedUser(33, 29, List.of(29L, 50L, 7L), "/var/www"));
        assertThat(UserResolver.resolve(rootfs, "1234:5", List.of()))
                .isEqualTo(new UserResolver.ResolvedUser(1234, 5, List.of(5L), "/"));
        assertThat(UserResolver.resolve(rootfs, "", List.of()).home()).isEqualTo("/root");
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "nobody", List.of()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unable to find user nobody: no matching entries in passwd file");
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "www:nogroup", List.of()))
                .hasMessage("unable to find group nogroup: no matching entries in group file");
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "www", List.of("nogroup"))) // --group-add, as dockerd
                .hasMessage("Unable to find group nogroup: no matching entries in group file");
    }

    @Test
    void user_withoutPasswdFile_acceptsOnlyNumbers() {
        assertThat(UserResolver.resolve(rootfs, "1000:1000", List.of()))
                .isEqualTo(new UserResolver.ResolvedUser(1000, 1000, List.of(1000L), "/"));
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "bob", List.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unable to find user bob");
    }

    @Test
    void passwdSymlink_cannotEscapeTheRootfs() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/passwd"));
        // the link resolves to <rootfs>/etc/passwd itself, a loop: no file, so names are unknown
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "root", List.of()))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void resources_mapToOci() {
        RuntimeSpec.Resources r = new RuntimeSpec.Resources(256L << 20, 0, 128L << 20, 1_500_000_000L, 512, 0, 0,
                "0-1", null, 100, 500);
        OciConfig.Resources o = new OciSpecGenerator(HOST, "/skiff").resources(r, false);
        assertThat(o.memory()).isEqualTo(new OciConfig.Memory(256L << 20, 128L << 20, 512L << 20));
        assertThat(o.cpu()).isEqualTo(new OciConfig.Cpu(512L, 150_000L, 100_000L, "0-1", null));
        assertThat(o.pids().limit()).isEqualTo(100);
        assertThat(o.blockIO()).as("no blkio.weight on this host").isNull();
        RuntimeSpec.Resources unlimitedSwap = new RuntimeSpec.Resources(64L << 20, -1, 0, 0, 0, 0, 0, null, null, 0, 0);
        assertThat(new OciSpecGenerator(HOST, "/skiff").resources(unlimitedSwap, false).memory().swap()).isEqualTo(-1);
    }

    @Test
    void swappinessAndBlockDeviceLimits_mapToOci_asTheHostAllows() throws Exception {
        List<RuntimeSpec.BlkioThrottle> t = List.of(
                new RuntimeSpec.BlkioThrottle(RuntimeSpec.BlkioThrottle.Kind.READ_BPS, 8, 0, 1048576),
                new RuntimeSpec.BlkioThrottle(RuntimeSpec.BlkioThrottle.Kind.WRITE_IOPS, 8, 16, 400),
                new RuntimeSpec.BlkioThrottle(RuntimeSpec.BlkioThrottle.Kind.WEIGHT, 8, 0, 300));
        RuntimeSpec.Resources r = new RuntimeSpec.Resources(0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, false, 10, t);
        OciConfig.Resources o = new OciSpecGenerator(HOST, "/skiff").resources(r, false);
        assertThat(o.memory().swappiness()).isEqualTo(10L);
        assertThat(o.blockIO().throttleReadBpsDevice()).containsExactly(new OciConfig.ThrottleDevice(8, 0, 1048576));
        assertThat(o.blockIO().throttleWriteIOPSDevice()).containsExactly(new OciConfig.ThrottleDevice(8, 16, 400));
        assertThat(o.blockIO().weightDevice()).as("no blkio weight on this host").isNull();
        String json = dev.skiff.sys.Json.COMPACT.writeValueAsString(o.blockIO());
        assertThat(json).isEqualTo("{\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1048576}],"
                + "\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":16,\"rate\":400}]}");
        HostInfo v2 = new HostInfo(HOST.boundingCaps(), true, HOST.swapLimit(), true, HOST.kernel(), HOST.hardRlimits(),
                HOST.initBinary());
        OciConfig.Resources onV2 = new OciSpecGenerator(v2, "/skiff").resources(r, false);
        assertThat(onV2.memory()).as("cgroup v2 has no swappiness").isNull();
        assertThat(onV2.blockIO().weightDevice()).containsExactly(new OciConfig.WeightDevice(8, 0, 300));
    }

    @Test
    void rlimits_neverExceedTheDaemonsHardLimit() {
        RuntimeSpec.Process p = new RuntimeSpec.Process(List.of("sh"), List.of(), null, null, List.of(), false,
                List.of(), List.of(), List.of(new RuntimeSpec.Rlimit("nofile", 1_048_576, 1_048_576),
                new RuntimeSpec.Rlimit("RLIMIT_CORE", 0, -1)));
        OciConfig c = generate(spec(p, false, null));
        assertThat(c.process().rlimits()).containsExactly(new OciConfig.Rlimit("RLIMIT_NOFILE", 20000, 20000),
                new OciConfig.Rlimit("RLIMIT_CORE", 0, -1));
    }

    @Test
    void init_withoutTini_failsClearly() {
        RuntimeSpec s = new RuntimeSpec(proc(null, List.of(), List.of()), rootfs.toString(), false, null, null, false,
                List.of(), null, RuntimeSpec.NetworkMode.NONE, null, null, false, Map.of(), null, true, Map.of());
        assertThatThrownBy(() -> generate(s)).isInstanceOf(UnavailableException.class).hasMessageContaining("tini");
        HostInfo withTini = new HostInfo(HOST.boundingCaps(), false, true, false, "6.1", Map.of(), Path.of("/usr/bin/tini"));
        OciConfig c = new OciSpecGenerator(withTini, "/skiff").generate("x", s);
        assertThat(c.process().args()).containsExactly("/sbin/docker-init", "--", "sh");
        assertThat(c.mounts()).anyMatch(m -> m.destination().equals("/sbin/docker-init") && m.type().equals("bind"));
    }

    @Test
    void json_leavesOutNulls() throws IOException {
        String json = Json.COMPACT.writeValueAsString(generate(spec(proc(null, List.of(), List.of()), false, null)));
        assertThat(json).doesNotContain("null").contains("\"ociVersion\":\"1.0.2\"");
    }

    private static List<String> names(OciConfig.Seccomp s) {
        return s.syscalls().stream().flatMap(c -> c.names().stream()).toList();
    }

    @Test
    void linuxSettings_shareOrJoinNamespacesAndAddDevicesOomAndDomainname() {
        RuntimeSpec base = spec(proc(null, List.of(), List.of()), false,
                new RuntimeSpec.Resources(64L << 20, 0, 0, 0, 0, 0, 0, null, null, 0, 0, true));
        RuntimeSpec.Linux lx = new RuntimeSpec.Linux(RuntimeSpec.Namespace.HOST, RuntimeSpec.Namespace.join("/proc/9/ns/ipc"),
                RuntimeSpec.Namespace.PRIVATE, RuntimeSpec.Namespace.PRIVATE, false,
                List.of(new RuntimeSpec.Device("/dev/mynull", "c", 1, 3, 0666, 0, 0)),
                List.of(new RuntimeSpec.DeviceRule(true, "c", 42L, null, "rwm"), new RuntimeSpec.DeviceRule(true, "c", 1L, 3L, "r")),
                -500);
        RuntimeSpec s = new RuntimeSpec(base.process(), base.rootfs(), false, "box", "example.org", false, List.of(),
                base.resources(), RuntimeSpec.NetworkMode.NONE, null, null, false, Map.of("net.ipv4.ip_forward", "1"),
                null, false, Map.of(), lx);
        OciConfig c = generate(s);
        assertThat(c.linux().namespaces()).containsExactly(new OciConfig.Namespace("ipc", "/proc/9/ns/ipc"),
                new OciConfig.Namespace("uts", null), new OciConfig.Namespace("mount", null),
                new OciConfig.Namespace("network", null), new OciConfig.Namespace("cgroup", null));
        assertThat(c.mounts()).extracting(OciConfig.Mount::destination).doesNotContain("/dev/shm");
        assertThat(c.linux().devices()).containsExactly(new OciConfig.Device("/dev/mynull", "c", 1, 3, 0666, 0L, 0L));
        assertThat(c.linux().resources().devices()).endsWith(new OciConfig.DeviceRule(true, "c", 42L, null, "rwm"),
                new OciConfig.DeviceRule(true, "c", 1L, 3L, "r"));
        assertThat(c.process().oomScoreAdj()).isEqualTo(-500);
        assertThat(c.linux().resources().memory().disableOOMKiller()).isTrue();
        assertThat(c.linux().sysctl()).containsEntry("kernel.domainname", "example.org").containsEntry("net.ipv4.ip_forward", "1");
        assertThat(c.domainname()).as("runc 1.1 has no domainname field: Docker uses the sysctl").isNull();
        assertThat(c.hostname()).isEqualTo("box");
    }

    @Test
    void hostUts_setsNoNameAndV1HostDefaultsToTheHostCgroupNamespace() {
        RuntimeSpec base = spec(proc(null, List.of(), List.of()), false, RuntimeSpec.Resources.NONE);
        RuntimeSpec.Linux lx = new RuntimeSpec.Linux(RuntimeSpec.Namespace.PRIVATE, RuntimeSpec.Namespace.PRIVATE,
                RuntimeSpec.Namespace.HOST, null, true, List.of(), List.of(), null);
        RuntimeSpec s = new RuntimeSpec(base.process(), base.rootfs(), false, "box", "example.org", false, List.of(),
                base.resources(), RuntimeSpec.NetworkMode.HOST, null, null, false, Map.of(), null, false, Map.of(), lx);
        OciConfig c = generate(s);
        assertThat(c.hostname()).isNull();
        assertThat(c.linux().sysctl()).isNull();
        assertThat(c.linux().namespaces()).extracting(OciConfig.Namespace::type).containsExactly("pid", "ipc", "mount");
        OciConfig v2 = new OciSpecGenerator(host(true), "/skiff").generate("abc", s);
        assertThat(v2.linux().namespaces()).extracting(OciConfig.Namespace::type).containsExactly("pid", "ipc", "mount", "cgroup");
        assertThat(v2.linux().resources().memory()).isNull();
    }
}
