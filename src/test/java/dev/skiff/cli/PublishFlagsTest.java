package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** -p, -P and --expose reach the create body as docker's CLI sends them; bad specs stop before any API call. */
class PublishFlagsTest {
    private static JsonNode body(String... args) throws Exception {
        FakeApiClient api = new FakeApiClient().on("POST /containers/create*", "{\"Id\":\"c0ffee\"}");
        CliHarness.Result r = CliHarness.run(api, args);
        assertThat(r.err()).isEmpty();
        return api.request("POST", "/containers/create").json();
    }

    @Test
    void publish_rangesAddressesAndRandomPorts() throws Exception {
        JsonNode b = body("create", "-p", "8000-8001:80-81", "-p", "127.0.0.1::90/udp", "-p", "100",
                "-p", "9000-9010:110", "-p", "published=7000,target=120,protocol=udp", "busybox");
        assertThat(b.path("ExposedPorts").toString()).isEqualTo(
                "{\"80/tcp\":{},\"81/tcp\":{},\"90/udp\":{},\"100/tcp\":{},\"110/tcp\":{},\"120/udp\":{}}");
        assertThat(b.path("HostConfig").path("PortBindings").toString()).isEqualTo("{"
                + "\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8000\"}],\"81/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8001\"}],"
                + "\"90/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}],\"100/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}],"
                + "\"110/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"9000-9010\"}],\"120/udp\":[{\"HostIp\":\"\",\"HostPort\":\"7000\"}]}");
        assertThat(b.path("HostConfig").path("PublishAllPorts").asBoolean()).isFalse();
    }

    @Test
    void publishAll_andExpose() throws Exception {
        JsonNode b = body("create", "-P", "--expose", "80", "--expose", "7000-7001/udp", "-p", "8080:80", "busybox");
        assertThat(b.path("HostConfig").path("PublishAllPorts").asBoolean()).isTrue();
        assertThat(b.path("ExposedPorts").toString()).isEqualTo("{\"80/tcp\":{},\"7000/udp\":{},\"7001/udp\":{}}");
        assertThat(b.path("HostConfig").path("PortBindings").toString())
                .isEqualTo("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}");
        JsonNode none = body("create", "busybox");
        assertThat(none.path("HostConfig").path("PortBindings").toString()).isEqualTo("{}");
        assertThat(none.has("ExposedPorts")).isFalse();
    }

    @Test
    void badSpecs_areRunErrorsWithDockersMessage() {
        String[][] cases = {
                {"-p", "x:80", "invalid hostPort: x"},
                {"-p", "8080:x", "invalid containerPort: x"},
                {"-p", "80/foo", "invalid proto: foo"},
                {"-p", "8000-8002:80-81", "invalid ranges specified for container and host Ports: 80-81 and 8000-8002"},
                {"-p", "published=80", "no port specified: 80:/tcp<empty>"},
                {"-p", "target", "invalid containerPort: target"},
                {"-p", "a=1,b", "invalid publish opts format (should be name=value but got 'b')"},
                {"--expose", "1:2", "invalid port format for --expose: 1:2"},
                {"--expose", "x", "invalid range format for --expose: x, error: strconv.ParseUint: parsing \"x\": invalid syntax"},
                {"--expose", "80-70", "invalid range format for --expose: 80-70, error: invalid range specified for port: 80-70"}};
        for (String[] c : cases) {
            FakeApiClient api = new FakeApiClient();
            CliHarness.Result r = CliHarness.run(api, "run", c[0], c[1], "busybox");
            assertThat(r.exit()).as(c[1]).isEqualTo(125);
            // the docker 28 CLI: "docker: MESSAGE", then "Run 'docker run --help' ...", no usage line
            assertThat(r.err()).as(c[1]).isEqualTo("skiff: " + c[2] + "\n\nRun 'skiff run --help' for more information\n");
        }
    }

    @Test
    void port_sortsNaturallyAndChecksThePort() {
        FakeApiClient api = new FakeApiClient().on("GET /containers/web/json", """
                {"NetworkSettings":{"Ports":{"443/tcp":[{"HostIp":"0.0.0.0","HostPort":"8443"}],
                 "80/tcp":[{"HostIp":"127.0.0.1","HostPort":"32769"},{"HostIp":"0.0.0.0","HostPort":"32768"}],
                 "9000/tcp":null}}}""");
        assertThat(CliHarness.run(api, "port", "web").out()).isEqualTo(
                "80/tcp -> 0.0.0.0:32768\n80/tcp -> 127.0.0.1:32769\n443/tcp -> 0.0.0.0:8443\n");
        assertThat(CliHarness.run(api, "port", "web", "80/tcp").out()).isEqualTo("0.0.0.0:32768\n127.0.0.1:32769\n");
        CliHarness.Result unpublished = CliHarness.run(api, "port", "web", "9000");
        assertThat(unpublished.exit()).isEqualTo(1);
        assertThat(unpublished.err()).isEqualTo("Error: No public port '9000' published for web\n");
        assertThat(CliHarness.run(api, "port", "web", "x").err())
                .isEqualTo("Error: invalid port (x): strconv.ParseUint: parsing \"x\": invalid syntax\n");
    }
}
