package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineUnitsTest {
    @TempDir
    Path tmp;

    @Test
    void changes_fromHandMadeUpperDir() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "whiteouts need mknod (root)");
        Path lower = tmp.resolve("lower");
        Path upper = tmp.resolve("upper");
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/passwd"), "root");
        Files.writeString(lower.resolve("gone"), "x");
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/passwd"), "changed");
        Files.writeString(upper.resolve("etc/new"), "n");
        Syscalls.mknodChar(upper.resolve("gone"), 0, 0, 0);
        List<Changes.Change> diff = Changes.diff(upper, List.of(lower));
        assertThat(diff).containsExactly(new Changes.Change("/etc", 0), new Changes.Change("/etc/new", 1),
                new Changes.Change("/etc/passwd", 0), new Changes.Change("/gone", 2));
    }

    @Test
    void statusText_likeDocker() {
        Instant now = Instant.parse("2026-11-23T15:00:10Z");
        ContainerState running = ContainerState.created().running(5, "2026-11-23T15:00:07Z");
        assertThat(StatusText.of(ContainerState.created(), now)).isEqualTo("Created");
        assertThat(StatusText.of(running, now)).isEqualTo("Up 3 seconds");
        assertThat(StatusText.of(running.withPaused(true), now)).isEqualTo("Up 3 seconds (Paused)");
        assertThat(StatusText.of(running.exited(1, false, "2026-11-23T15:00:05Z"), now)).isEqualTo("Exited (1) 5 seconds ago");
        assertThat(StatusText.of(running.restartingAfter(2, false, "2026-11-23T15:00:09Z"), now)).isEqualTo("Restarting (2) 1 second ago");
        assertThat(StatusText.humanDuration(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(StatusText.humanDuration(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(StatusText.humanDuration(Duration.ofHours(3))).isEqualTo("3 hours");
        assertThat(StatusText.humanDuration(Duration.ofDays(3))).isEqualTo("3 days");
    }

    @Test
    void names_generatedAreUniqueAndValid() {
        NameGenerator g = new NameGenerator(new Random(1));
        String id = g.newId();
        assertThat(id).hasSize(64).matches("[0-9a-f]+");
        String name = g.newName(n -> false);
        assertThat(name).matches("/[a-z]+_[a-z]+");
        String other = g.newName(n -> n.equals(name));
        assertThat(other).isNotEqualTo(name);
        assertThatThrownBy(() -> NameGenerator.validateName("bad name")).hasMessageContaining("Invalid container name");
        assertThat(NameGenerator.validateName("/ok.name-1")).isEqualTo("/ok.name-1");
    }

    @Test
    void top_keepsTheContainersRows() {
        String ps = "UID PID PPID C STIME TTY TIME CMD\n"
                + "root 1 0 0 10:00 ? 00:00:01 /sbin/init\n"
                + "root 4242 4240 0 10:01 ? 00:00:00 sleep 1000 --with args\n";
        TopService.Top top = TopService.parse(ps, Set.of(4242));
        assertThat(top.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(top.processes()).hasSize(1);
        assertThat(top.processes().get(0).get(7)).isEqualTo("sleep 1000 --with args");
    }

    @Test
    void stats_netDevWithoutLoopback() {
        List<String> dev = List.of("Inter-|   Receive                                                |  Transmit",
                " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
                "    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0",
                "  eth0:    2000      20    1    2    0     0          0         0     3000      30    3    4    0     0       0          0");
        var n = StatsService.parseNetDev(dev);
        assertThat(n.has("lo")).isFalse();
        assertThat(n.get("eth0").get("rx_bytes").asLong()).isEqualTo(2000);
        assertThat(n.get("eth0").get("tx_dropped").asLong()).isEqualTo(4);
        assertThat(StatsService.parseNetDev(dev.subList(0, 3))).isNull();
    }

    @Test
    void eventFilter_matchesDockerKeys() {
        EventBus bus = new EventBus();
        Event e = bus.publish("container", "die", "abc123", Map.of("name", "web", "image", "busybox", "tier", "db"));
        assertThat(new EventFilter(Map.of("container", List.of("web"))).matches(e)).isTrue();
        assertThat(new EventFilter(Map.of("container", List.of("abc"))).matches(e)).isTrue();
        assertThat(new EventFilter(Map.of("image", List.of("busybox"))).matches(e)).isTrue();
        assertThat(new EventFilter(Map.of("event", List.of("start", "die"))).matches(e)).isTrue();
        assertThat(new EventFilter(Map.of("label", List.of("tier=db"))).matches(e)).isTrue();
        assertThat(new EventFilter(Map.of("label", List.of("tier=web"))).matches(e)).isFalse();
        assertThat(new EventFilter(Map.of("type", List.of("image"))).matches(e)).isFalse();
    }

    @Test
    void eventBus_ringKeepsTheLast1000() throws Exception {
        EventBus bus = new EventBus();
        for (int i = 0; i < 1100; i++) {
            bus.publish("container", "a" + i, "id", Map.of());
        }
        assertThat(bus.recent()).hasSize(1000);
        try (EventBus.Subscription s = bus.subscribe(Instant.EPOCH, null, EventFilter.ALL)) {
            assertThat(s.poll(0).action()).isEqualTo("a100");
        }
    }

    @Test
    void logRotationWatcher_keepsFilesConmonReplaces() throws Exception {
        Path log = tmp.resolve("c.log");
        Files.writeString(log, "2026-11-23T15:22:01.000000001+00:00 stdout F one\n");
        try (LogRotationWatcher w = new LogRotationWatcher()) {
            w.watch("0".repeat(64), log, 3);
            Path t = tmp.resolve("c.log.tmp");
            Files.writeString(t, "2026-11-23T15:22:01.000000001+00:00 stdout F two\n");
            Files.move(t, log, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            for (int i = 0; i < 200 && !Files.exists(tmp.resolve("c.log.1")); i++) {
                Thread.sleep(10);
            }
        }
        assertThat(tmp.resolve("c.log.1")).content().contains("one");
        assertThat(log).content().contains("two");
    }

    @Test
    void specBuilder_translatesHostConfig() throws Exception {
        var body = EngineFixture.body("{\"Image\":\"x\",\"Cmd\":[\"sh\"],\"Tty\":true,\"Env\":[\"A=1\"]}");
        var hc = ConfigMerger.normalizeHostConfig(EngineFixture.body("{\"NetworkMode\":\"host\",\"ReadonlyRootfs\":true,"
                + "\"Tmpfs\":{\"/run\":\"size=64m\"},\"Binds\":[\"/srv:/data:ro\"],\"SecurityOpt\":[\"seccomp=unconfined\",\"no-new-privileges\"],"
                + "\"Memory\":10485760,\"CapAdd\":[\"NET_ADMIN\"],\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":10,\"Hard\":20}],\"Init\":true}"));
        var cfg = ConfigMerger.merge(body, null, "abc");
        Container c = new Container("0".repeat(64), "/x", Times.now(), "sh", List.of(), cfg, hc, "sha256:x", "x",
                ContainerState.created(), 0, tmp.resolve("log").toString(), 0, false);
        var spec = SpecBuilder.build(c, tmp, EtcFiles.in(tmp), null);
        assertThat(spec.networkMode()).isEqualTo(dev.skiff.runtime.RuntimeSpec.NetworkMode.HOST);
        assertThat(spec.readOnlyRootfs()).isTrue();
        assertThat(spec.seccompProfile()).isEqualTo("unconfined");
        assertThat(spec.noNewPrivileges()).isTrue();
        assertThat(spec.init()).isTrue();
        assertThat(spec.resources().memory()).isEqualTo(10485760);
        assertThat(spec.process().env()).contains("A=1", "HOSTNAME=abc", "TERM=xterm").anyMatch(e -> e.startsWith("PATH="));
        assertThat(spec.process().rlimits()).containsExactly(new dev.skiff.runtime.RuntimeSpec.Rlimit("RLIMIT_NOFILE", 10, 20));
        assertThat(spec.mounts()).extracting(dev.skiff.runtime.RuntimeSpec.Mount::destination)
                .containsExactly("/data", "/run", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts");
        assertThat(spec.mounts().get(1).options()).containsExactly("noexec", "nosuid", "nodev", "size=64m");
    }

    /** dockerd's order: PATH, HOSTNAME, TERM, replaced in place by Config.Env, then the rest of it. */
    @Test
    void processEnvironment_isInDockerdsOrder() throws Exception {
        var tty = EngineFixture.body("{\"Hostname\":\"h\",\"Tty\":true,\"Env\":[\"X=1\",\"PATH=/bin\",\"Y=2\"]}");
        assertThat(SpecBuilder.environment(tty)).containsExactly("PATH=/bin", "HOSTNAME=h", "TERM=xterm", "X=1", "Y=2");
        var plain = EngineFixture.body("{\"Hostname\":\"h\",\"Env\":[\"HOSTNAME=mine\",\"LONE\"]}");
        assertThat(SpecBuilder.environment(plain)).containsExactly(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=mine");
        var unset = EngineFixture.body("{\"Hostname\":\"h\",\"Tty\":true,\"Env\":[\"TERM\"]}");
        assertThat(SpecBuilder.environment(unset)).extracting(e -> e.substring(0, e.indexOf('=')))
                .containsExactly("PATH", "HOSTNAME");
        // legacy links' variables between the daemon's and Config.Env's, which may replace or unset them too
        var linked = EngineFixture.body("{\"Hostname\":\"h\",\"Env\":[\"A=1\",\"DB_NAME=/mine\",\"DB_PORT\"]}");
        assertThat(SpecBuilder.environment(linked, false, List.of("DB_PORT=tcp://10.0.0.2:5432", "DB_NAME=/web/db",
                "DB_ENV_X=1"))).containsExactly("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOSTNAME=h", "DB_NAME=/mine", "DB_ENV_X=1", "A=1");
    }

    /** dockerd's parseSecurityOpt: its forms, and its words for one it does not know (strict, at create and build). */
    @Test
    void securityOptions_readDockerdsForms_andRefuseWhatItRefuses() {
        var o = SpecBuilder.securityOptions(List.of("seccomp:unconfined", "no-new-privileges=true", "apparmor=x",
                "label:disable", "writable-cgroups=false"), true);
        assertThat(o.seccompProfile()).isEqualTo("unconfined");
        assertThat(o.noNewPrivileges()).isTrue();
        assertThat(SpecBuilder.securityOptions(List.of("seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}"), true)
                .seccompProfile()).isEqualTo("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        assertThat(SpecBuilder.securityOptions(List.of("no-new-privileges", "no-new-privileges=false"), true)
                .noNewPrivileges()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpecBuilder.securityOptions(List.of("bogus"), true))
                .hasMessage("invalid --security-opt 1: \"bogus\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpecBuilder.securityOptions(List.of("nope=1"), true))
                .hasMessage("invalid --security-opt 2: \"nope=1\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpecBuilder.securityOptions(
                List.of("no-new-privileges=maybe"), true)).hasMessage("invalid --security-opt 2: \"no-new-privileges=maybe\"");
        assertThat(SpecBuilder.securityOptions(List.of("bogus", "nope=1", "seccomp=unconfined"), false).seccompProfile())
                .as("a stored container starts as before").isEqualTo("unconfined");
    }

    @Test
    void statsMemoryLimit_isTheHostsMemory_whenTheCgroupHasNone() {
        long host = dev.skiff.sys.MemInfo.bytes("MemTotal");
        assertThat(host).isPositive();
        assertThat(StatsService.limitOrHostMemory(9223372036854771712L)).isEqualTo(host); // cgroup v1's "unlimited"
        assertThat(StatsService.limitOrHostMemory(-1)).isEqualTo(host); // v2's "max" as read
        assertThat(StatsService.limitOrHostMemory(64L << 20)).isEqualTo(64L << 20);
    }

    @Test
    void statsJson_carriesTheCgroupsOwnAccounting_asDockerdDoes() {
        var mapper = dev.skiff.sys.Json.MAPPER;
        Container c = new Container("a".repeat(64), "/st", "2026-01-01T00:00:00Z", "sh", List.of(),
                mapper.createObjectNode(), mapper.createObjectNode(), "sha256:" + "b".repeat(64), "busybox",
                ContainerState.created(), 0, null, 0, false);
        var stats = new dev.skiff.runtime.CgroupStats(3_000, 9_000, 2, 8192, 64L << 20, 100, 1, 0, 0, 0,
                new dev.skiff.runtime.CgroupStats.Cpu(1_000, 2_000, new long[] {1_500, 1_500}, 10, 2, 700),
                new dev.skiff.runtime.CgroupStats.Memory(12_288, 0, Map.of("rss", 4096L, "total_inactive_file", 50L)));
        var json = new StatsService(null).json(c, new StatsService.Sample(stats, Instant.now()), null);
        var cpu = json.path("cpu_stats");
        assertThat(cpu.path("cpu_usage").path("percpu_usage").toString()).isEqualTo("[1500,1500]");
        assertThat(cpu.path("cpu_usage").path("usage_in_usermode").asLong()).isEqualTo(1_000);
        assertThat(cpu.path("cpu_usage").path("usage_in_kernelmode").asLong()).isEqualTo(2_000);
        assertThat(cpu.path("throttling_data").toString())
                .isEqualTo("{\"periods\":10,\"throttled_periods\":2,\"throttled_time\":700}");
        var mem = json.path("memory_stats");
        assertThat(mem.path("max_usage").asLong()).isEqualTo(12_288);
        assertThat(mem.path("failcnt").asLong()).isZero();
        assertThat(mem.path("stats").path("rss").asLong()).isEqualTo(4096);
        assertThat(mem.path("stats").path("total_inactive_file").asLong()).isEqualTo(50);
        assertThat(mem.path("limit").asLong()).isEqualTo(64L << 20);
    }
}
