package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What run and create check before they ask the daemon, and what they leave to it, each in the docker 28 CLI's words
 * (checked side by side against one skiffd): flag errors with the usage line, run's own with "skiff: " and the Run line.
 */
class RunValidationTest {
    private static final String ID = "c0ffee";

    private static CliHarness.Result run(String... args) {
        return CliHarness.run(new FakeApiClient().on("POST /containers/create*", "{\"Id\":\"" + ID + "\"}"), args);
    }

    private static String runError(String message) {
        return "skiff: " + message + "\n\nRun 'skiff run --help' for more information\n";
    }

    @Test
    void addressesAndHostEntries_areFlagErrors() {
        assertThat(run("run", "-d", "--dns", "x", "busybox").err()).startsWith(
                "invalid argument \"x\" for \"--dns\" flag: IP address is not correctly formatted: x\n\nUsage:  skiff run");
        // Java would read "1.2.3" as 1.2.0.3; Go does not
        assertThat(run("run", "-d", "--dns", "1.2.3", "busybox").exit()).isEqualTo(125);
        assertThat(run("run", "-d", "--add-host", "x", "busybox").err())
                .startsWith("invalid argument \"x\" for \"--add-host\" flag: bad format for add-host: \"x\"\n");
        assertThat(run("run", "-d", "--add-host", "a:b", "busybox").err())
                .startsWith("invalid argument \"a:b\" for \"--add-host\" flag: invalid IP address in add-host: \"b\"\n");
        for (String ok : new String[] {"a:1.2.3.4", "a=[::1]", "a:host-gateway"}) {
            assertThat(run("create", "--add-host", ok, "busybox").exit()).as(ok).isZero();
        }
    }

    @Test
    void runsOwnChecks_sayRunsWords() {
        assertThat(run("run", "-d", "-v", "", "busybox").err()).isEqualTo(runError("invalid empty volume spec"));
        assertThat(run("run", "-d", "--mac-address", "x", "busybox").err()).isEqualTo(runError("x is not a valid mac address"));
        assertThat(run("run", "-d", "--network", "bridge", "--network-alias", "a", "busybox").err())
                .isEqualTo(runError("network-scoped aliases are only supported for user-defined networks"));
        assertThat(run("run", "-d", "--restart", "on-failure:x", "busybox").err())
                .isEqualTo(runError("invalid restart policy format: maximum retry count must be an integer"));
        assertThat(run("run", "--rm", "--restart", "always", "busybox").err())
                .isEqualTo(runError("conflicting options: cannot specify both --restart and --rm"));
        assertThat(run("run", "-d", "--pull", "bogus", "busybox").err())
                .isEqualTo(runError("invalid pull option: 'bogus': must be one of \"always\", \"missing\" or \"never\""));
        assertThat(run("run", "-d", "--env-file", "/nonexistent", "busybox").err())
                .isEqualTo(runError("open /nonexistent: no such file or directory"));
        CliHarness.Result attach = run("run", "-a", "stdout", "-d", "busybox");
        assertThat(attach.err()).isEqualTo("conflicting options: cannot specify both --attach and --detach\n");
        assertThat(attach.exit()).isEqualTo(1);
    }

    @Test
    void whatTheDaemonJudges_goesToIt() throws Exception {
        FakeApiClient api = new FakeApiClient().on("POST /containers/create*", "{\"Id\":\"" + ID + "\"}");
        CliHarness.Result r = CliHarness.run(api, "create", "--restart", "bogus", "--uts", "host", "-h", "box", "--network", "none",
                "--ip", "1.2.3.4", "--mac-address", "02:42:ac:11:00:02", "--annotation", "bare", "--dns", "::1", "--name", "a", "--name", "b", "busybox");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEqualTo("WARNING: Localhost DNS (::1) may fail in containers.\n");
        // pflag: a flag given twice keeps the last value
        assertThat(api.request("POST", "/containers/create").path()).contains("name=b");
        JsonNode b = api.request("POST", "/containers/create").json();
        assertThat(b.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("bogus");
        assertThat(b.path("HostConfig").path("Annotations").toString()).isEqualTo("{\"bare\":\"\"}");
        assertThat(b.path("NetworkingConfig").path("EndpointsConfig").path("none").path("IPAMConfig").path("IPv4Address").asText())
                .isEqualTo("1.2.3.4");
    }

    @Test
    void rename_addsDockersLineAfterTheDaemonsError() {
        FakeApiClient api = new FakeApiClient().on("POST /containers/nosuch/rename*", 404, "{\"message\":\"No such container: nosuch\"}");
        CliHarness.Result r = CliHarness.run(api, "rename", "nosuch", "x");
        assertThat(r.err()).isEqualTo("Error response from daemon: No such container: nosuch\n"
                + "Error: failed to rename container named nosuch\n");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void execEnvAndLogsTimes_inDockersWords() {
        FakeApiClient api = new FakeApiClient();
        CliHarness.Result env = CliHarness.run(api, "exec", "-e", "=x", "web", "true");
        assertThat(env.err()).startsWith("invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x\n\nUsage:");
        assertThat(env.exit()).isEqualTo(125);
        CliHarness.Result file = CliHarness.run(api, "exec", "--env-file", "/nonexistent", "web", "true");
        assertThat(file.err()).isEqualTo("open /nonexistent: no such file or directory\n");
        assertThat(file.exit()).isEqualTo(1);
        // docker logs looks the container up first, then reads the times
        api.on("GET /containers/web/json", "{\"Id\":\"" + ID + "\",\"Config\":{\"Tty\":false}}");
        assertThat(CliHarness.run(api, "logs", "--since", "bogus", "web").err())
                .isEqualTo("invalid value for \"since\": failed to parse value as time or duration: \"bogus\"\n");
        assertThat(CliHarness.run(api, "events", "--until", "bogus").err())
                .isEqualTo("failed to parse value as time or duration: \"bogus\"\n");
    }

    @Test
    void gpusStorageOptsLinkLocalAndWindowsFlags_asTheDockerCli() throws Exception {
        FakeApiClient api = new FakeApiClient().on("POST /containers/create*", "{\"Id\":\"" + ID + "\"}");
        CliHarness.Result r = CliHarness.run(api, "create", "--gpus", "all", "--gpus", "\"device=0,1\",capabilities=compute",
                "--storage-opt", "size=1G", "--network", "n1", "--link-local-ip", "169.254.1.1", "busybox");
        assertThat(r.exit()).isZero();
        JsonNode b = api.request("POST", "/containers/create").json();
        assertThat(b.path("HostConfig").path("DeviceRequests").toString()).isEqualTo(
                "[{\"Driver\":\"\",\"Count\":-1,\"DeviceIDs\":null,\"Capabilities\":[[\"gpu\"]],\"Options\":{}},"
                + "{\"Driver\":\"\",\"Count\":0,\"DeviceIDs\":[\"0\",\"1\"],\"Capabilities\":[[\"compute\",\"gpu\"]],\"Options\":{}}]");
        assertThat(b.path("HostConfig").path("StorageOpt").toString()).isEqualTo("{\"size\":\"1G\"}");
        assertThat(b.path("NetworkingConfig").path("EndpointsConfig").path("n1").path("IPAMConfig").path("LinkLocalIPs").toString())
                .isEqualTo("[\"169.254.1.1\"]");
        assertThat(run("create", "--gpus", "x", "busybox").err()).startsWith("invalid argument \"x\" for \"--gpus\" flag: "
                + "invalid count (x): value must be either \"all\" or an integer: invalid syntax\n\nUsage:");
        assertThat(run("run", "--storage-opt", "x", "busybox").err()).isEqualTo(runError("invalid storage option"));
        CliHarness.Result windows = run("run", "--cpu-count", "2", "busybox");
        assertThat(windows.err()).isEqualTo("\"--cpu-count\" is only supported on a daemon running on windows, "
                + "but the Skiff daemon is running on linux\n");
        assertThat(windows.exit()).isEqualTo(1);
    }

    @Test
    void tag_parsesBothNamesFirst_asTheDockerCli() {
        FakeApiClient api = new FakeApiClient();
        CliHarness.Result bad = CliHarness.run(api, "tag", "busybox", "Bad:tag");
        assertThat(bad.err()).isEqualTo("Error parsing reference: \"Bad:tag\" is not a valid repository/tag: "
                + "invalid reference format: repository name (library/Bad) must be lowercase\n");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(CliHarness.run(api, "tag", "busybox", "a@sha256:" + "0".repeat(64)).err())
                .isEqualTo("refusing to create a tag with a digest reference\n");
        assertThat(api.paths()).isEmpty();
    }

    @Test
    void globalConfigFlag_pointsAtTheClientConfig(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"localhost:1\":{\"auth\":\"eDp5\"}}}");
        CliHarness.Result r = CliHarness.run(new FakeApiClient(), "--config", dir.toString(), "logout", "localhost:1");
        assertThat(r.out()).isEqualTo("Removing login credentials for localhost:1\n");
        assertThat(Files.readString(dir.resolve("config.json"))).doesNotContain("localhost:1");
    }
}
