package dev.skiff.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** daemon.json under the flags: what skiffd reads, dockerd's keys it does not use, and keys no daemon knows. */
class DaemonOptionsTest {
    @TempDir
    Path dir;

    private DaemonOptions options(String json, String... args) throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, json);
        DaemonOptions o = new DaemonOptions();
        String[] all = new String[args.length + 2];
        all[0] = "--config-file";
        all[1] = file.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(o).parseArgs(all);
        return o.resolve();
    }

    @Test
    void theFileFillsWhatTheFlagsLeave() throws Exception {
        DaemonOptions o = options("{\"data-root\": \"/srv/skiff\", \"bridge\": \"br9\", \"log-opts\": {\"max-size\": \"1m\"}}",
                "--bridge", "fromflag");
        assertThat(o.dataRoot()).isEqualTo(Path.of("/srv/skiff"));
        assertThat(o.bridge()).isEqualTo("fromflag");
        assertThat(o.logOpts()).containsEntry("max-size", "1m").containsEntry("max-file", "5");
        assertThat(o.ignoredKeys()).isEmpty();
    }

    @Test
    void theDefaultLogDriver_comesFromTheFlagOrTheFile_withOnlyTheGivenOptions() throws Exception {
        DaemonOptions o = options("{\"log-driver\": \"syslog\", \"log-opts\": {\"syslog-address\": \"udp://127.0.0.1:514\"}}");
        assertThat(o.logDriver()).isEqualTo("syslog");
        assertThat(o.givenLogOpts()).containsExactly(java.util.Map.entry("syslog-address", "udp://127.0.0.1:514"));
        assertThat(o.ignoredKeys()).isEmpty();
        assertThat(options("{\"log-driver\": \"syslog\"}", "--log-driver", "journald").logDriver()).isEqualTo("journald");
        assertThat(options("{}").logDriver()).isEqualTo("json-file");
        assertThat(options("{}").givenLogOpts()).isEmpty();
        assertThatThrownBy(() -> dev.skiff.engine.LogConfig.checkDaemonDefault("gelf", java.util.Map.of()))
                .hasMessageContaining("gelf-address is a required parameter");
        assertThatThrownBy(() -> dev.skiff.engine.LogConfig.checkDaemonDefault("splunk", java.util.Map.of()))
                .hasMessageContaining("no log driver named 'splunk'");
    }

    @Test
    void defaultAddressPools_comeFromTheFileUnlessFlagsGiveThem() throws Exception {
        String json = "{\"default-address-pools\": [{\"base\": \"10.10.0.0/16\", \"size\": 24}]}";
        assertThat(options(json).addressPools()).containsExactly("base=10.10.0.0/16,size=24");
        assertThat(options(json).ignoredKeys()).isEmpty();
        assertThat(options(json, "--default-address-pool", "base=10.30.0.0/16,size=20").addressPools())
                .containsExactly("base=10.30.0.0/16,size=20");
    }

    @Test
    void containerDefaults_comeFromTheFileOrTheFlags() throws Exception {
        DaemonOptions o = options("{\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 1024, \"Hard\": 2048}},"
                + " \"default-shm-size\": \"128M\", \"init\": true, \"no-new-privileges\": true, \"labels\": [\"env=prod\"],"
                + " \"live-restore\": true, \"storage-driver\": \"overlay2\"}");
        assertThat(o.containerDefaults()).isEqualTo(new dev.skiff.engine.ContainerDefaults(
                java.util.List.of(new dev.skiff.engine.ContainerDefaults.Ulimit("nofile", 1024, 2048)), 128L << 20, true, true,
                "", ""));
        assertThat(options("{\"default-ipc-mode\": \"shareable\", \"default-cgroupns-mode\": \"host\"}").containerDefaults()
                .ipcMode()).isEqualTo("shareable");
        assertThat(o.labels()).containsExactly("env=prod");
        assertThat(o.ignoredKeys()).isEmpty();
        assertThat(options("{}", "--default-ulimit", "nproc=100").containerDefaults().ulimits())
                .containsExactly(new dev.skiff.engine.ContainerDefaults.Ulimit("nproc", 100, 100));
        assertThat(options("{}").containerDefaults()).isEqualTo(dev.skiff.engine.ContainerDefaults.NONE);
        assertThatThrownBy(() -> options("{}", "--default-ulimit", "nofile").containerDefaults())
                .hasMessageContaining("nofile=1024:2048");
        assertThatThrownBy(() -> options("{\"storage-driver\": \"btrfs\"}")).hasMessageContaining("overlayfs");
        assertThatThrownBy(() -> options("{\"seccomp-profile\": \"/nonexistent/seccomp.json\"}").seccompProfileJson())
                .hasMessageContaining("cannot read the seccomp profile /nonexistent/seccomp.json");
        assertThat(options("{\"seccomp-profile\": \"unconfined\"}").seccompProfileJson()).isEqualTo("unconfined");
        assertThat(options("{}").seccompProfileJson()).isNull();
        DaemonOptions net = options("{\"mtu\": 1450, \"icc\": false}");
        assertThat(net.mtu()).isEqualTo(1450);
        assertThat(net.icc()).isFalse();
        assertThat(options("{}").mtu()).isEqualTo(1500);
        assertThat(options("{\"live-restore\": false}").ignoredKeys())
                .containsExactly("live-restore (false: containers keep running when skiffd stops)");
        assertThat(options("{\"ip\": \"127.0.0.1\"}").ip()).isEqualTo("127.0.0.1");
        assertThat(options("{}").ip()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> options("{}", "--ip", "localhost").ip()).hasMessageContaining("invalid --ip localhost");
        assertThat(options("{}", "--icc", "false").icc()).isFalse();
    }

    @Test
    void daemonDns_comesFromTheFileUnlessFlagsGiveIt() throws Exception {
        String json = "{\"dns\": [\"192.0.2.1\"], \"dns-search\": [\"corp.example\"], \"dns-opts\": [\"ndots:2\"]}";
        DaemonOptions o = options(json);
        assertThat(o.dns()).containsExactly("192.0.2.1");
        assertThat(o.dnsSearch()).containsExactly("corp.example");
        assertThat(o.dnsOptions()).containsExactly("ndots:2");
        assertThat(o.ignoredKeys()).isEmpty();
        assertThat(options(json, "--dns", "192.0.2.9").dns()).containsExactly("192.0.2.9");
    }

    @Test
    void daemonDns_mustBeIpAddresses_dottedQuadsOrIpv6_notInetAtonsShortForms() throws Exception {
        for (String bad : java.util.List.of("10", "1.2", "010.0.0.1", "dns.example", "::g")) {
            DaemonOptions o = options("{\"dns\": [\"" + bad + "\"], \"exec-root\": \"" + dir.resolve("run") + "\"}");
            assertThatThrownBy(() -> DaemonDns.resolvConf(o)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("invalid --dns " + bad + ": give a DNS server's IP address");
        }
        DaemonOptions good = options("{\"dns\": [\"192.0.2.1\", \"2001:db8::53\"], \"exec-root\": \""
                + dir.resolve("run") + "\"}");
        Files.createDirectories(dir.resolve("run"));
        assertThat(Files.readString(DaemonDns.resolvConf(good))).contains("nameserver 192.0.2.1")
                .contains("nameserver 2001:db8::53");
    }

    @Test
    void theCgroupParent_isSkiffsUnlessTheFileOrAFlagNamesOne() throws Exception {
        assertThat(options("{}").cgroupParent()).isEqualTo("/skiff");
        DaemonOptions file = options("{\"cgroup-parent\": \"/production/containers\"}");
        assertThat(file.cgroupParent()).isEqualTo("/production/containers");
        assertThat(file.ignoredKeys()).isEmpty();
        assertThat(options("{\"cgroup-parent\": \"/a\"}", "--cgroup-parent", "/b").cgroupParent()).isEqualTo("/b");
        assertThatThrownBy(() -> options("{\"cgroup-parent\": \"/a/../../etc\"}").cgroupParent())
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("without \"..\"");
    }

    @Test
    void dockerdsDebugKey_meansTheDebugLevel_unlessALevelIsGiven() throws Exception {
        assertThat(options("{\"debug\": true}").logLevel()).isEqualTo("debug");
        assertThat(options("{\"debug\": true, \"log-level\": \"warn\"}").logLevel()).isEqualTo("warn");
        assertThat(options("{\"debug\": true}", "--log-level", "error").logLevel()).isEqualTo("error");
        assertThat(options("{\"debug\": false}").logLevel()).isEqualTo("info");
        assertThat(options("{\"log-level\": \"warn\"}", "-D").logLevel()).isEqualTo("debug"); // dockerd -D
        assertThat(options("{}", "-D", "--log-level", "error").logLevel()).isEqualTo("error");
    }

    @Test
    void dockerdsOtherKeys_areNamedAsIgnored_andUnknownKeysRefusedInDockerdsWords() throws Exception {
        DaemonOptions o = options("{\"iptables\": false, \"userns-remap\": \"default\", \"bip\": \"10.9.0.1/24\"}");
        assertThat(o.ignoredKeys()).containsExactly("iptables", "userns-remap");
        assertThat(o.bip()).isEqualTo("10.9.0.1/24");
        assertThatThrownBy(() -> options("{\"log-levle\": \"debug\", \"hosts\": []}"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageEndingWith("the following directives don't match any configuration option: log-levle");
        assertThatThrownBy(() -> options("[]")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void everyKeySkiffdReadsIsNoDockerdKeyItIgnores() {
        assertThat(DaemonOptions.KEYS).doesNotContainAnyElementsOf(DaemonOptions.DOCKERD_KEYS);
    }

    @Test
    void ipv6OfTheDefaultBridge_fromTheFileOrTheFlags_andAFixedCidrAloneIsRefused() throws Exception {
        DaemonOptions file = options("{\"ipv6\": true, \"fixed-cidr-v6\": \"fd00:17::/64\"}");
        assertThat(file.ipv6()).isTrue();
        assertThat(file.fixedCidrV6()).isEqualTo("fd00:17::/64");
        assertThat(file.ignoredKeys()).isEmpty();
        DaemonOptions flags = options("{}", "--ipv6");
        assertThat(flags.ipv6()).isTrue();
        assertThat(flags.fixedCidrV6()).isEmpty();
        assertThat(options("{}").ipv6()).isFalse();
        assertThatThrownBy(() -> options("{}", "--fixed-cidr-v6", "fd00:17::/64"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("add --ipv6");
    }
}

