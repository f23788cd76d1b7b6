package dev.skiff.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.sys.Json;
import org.junit.jupiter.api.Test;

/** Templates on the typed view print what the docker CLI prints on its Go structs (each pair checked against docker 28.2.2). */
class GoTypesTest {
    private static final String CONTAINER = """
            {"Id":"7261e0","Name":"/t1","State":{"Status":"running","Running":true,"Paused":false,"Restarting":false,
             "OOMKilled":false,"Dead":false,"Pid":10850,"ExitCode":0,"Error":"","StartedAt":"2026-12-07T14:59:10.488404153Z",
             "FinishedAt":"0001-01-01T00:00:00Z"},"HostConfig":{"Binds":null,"NetworkMode":"bridge"},
             "Config":{"Image":"busybox","Cmd":["sleep","1000"],"Labels":{"a":"b"},"Env":null},
             "NetworkSettings":{"Ports":{},"Networks":{"bridge":{"IPAddress":"10.0.0.2"}}},"Mounts":[]}""";
    private static final String IMAGE = """
            {"Id":"sha256:56","RepoTags":["busybox:latest"],"Config":{"Cmd":["sh"]},"RootFS":{"Type":"layers"}}""";

    private static String typed(String json, String kind, String template) throws Exception {
        Object raw = Json.MAPPER.readValue(json, Object.class);
        return Template.parse(template).execute(GoTypes.typed(raw, kind), false);
    }

    @Test
    void missingFields_readAsTheirTypesZeroValues() throws Exception {
        assertThat(typed(IMAGE, "image", "{{.Config.Entrypoint}}|{{.Config.Volumes}}|{{.Config.ExposedPorts}}|{{.Config.Healthcheck}}"))
                .isEqualTo("[]|map[]|map[]|<nil>");
        assertThat(typed(IMAGE, "image", "{{.Config.Labels}}|{{index .Config.Labels \"x\"}}|{{.Config.User}}|{{.Size}}"))
                .isEqualTo("map[]|||0");
        assertThat(typed(CONTAINER, "container", "{{.HostConfig.Binds}}|{{json .HostConfig.Binds}}|{{json .Config.Entrypoint}}"))
                .isEqualTo("[]|null|null");
    }

    @Test
    void mapsIndexToTheElementsZero_andMissingKeysHaveNoValue() throws Exception {
        assertThat(typed(CONTAINER, "container", "{{index .Config.Labels \"zz\"}}|{{.Config.Labels.zz}}|{{.Config.Labels.a}}"))
                .isEqualTo("|<no value>|b");
        assertThat(typed(CONTAINER, "object", "{{.NetworkSettings.Networks.bridge.IPAddress}}|{{.NetworkSettings.Ports}}"))
                .isEqualTo("10.0.0.2|map[]");
        assertThat(typed(CONTAINER, "container", "{{json .Config.Labels}}|{{.Config.Labels}}")).isEqualTo("{\"a\":\"b\"}|map[a:b]");
    }

    @Test
    void structsPrintAsGoDoes_andUnknownFieldsFail() throws Exception {
        assertThat(typed(CONTAINER, "container", "{{.State}}")).isEqualTo(
                "{running true false false false false 10850 0  2026-12-07T14:59:10.488404153Z 0001-01-01T00:00:00Z <nil>}");
        assertThat(typed(CONTAINER, "container", "{{.Id}} {{.ID}} {{.Name}}")).isEqualTo("7261e0 7261e0 /t1");
        assertThatThrownBy(() -> typed(CONTAINER, "container", "{{.Foo}}")).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> typed(CONTAINER, "container", "{{index .Config.Env 0}}"))
                .hasMessageContaining("error calling index: index out of range: 0");
    }

    @Test
    void timesPrintAsGoTime_andJsonKeepsTheDaemonsOrder() throws Exception {
        String network = "{\"Name\":\"tn\",\"Id\":\"2f\",\"Created\":\"2026-12-07T15:05:02.12175074Z\",\"IPAM\":{\"Driver\":\"default\","
                + "\"Options\":{},\"Config\":[{\"Subnet\":\"172.17.0.0/16\",\"Gateway\":\"172.17.0.1\"}]}}";
        assertThat(typed(network, "network", "{{.Created}}")).isEqualTo("2026-12-07 15:05:02.12175074 +0000 UTC");
        assertThat(typed(network, "object", "{{.IPAM}}")).isEqualTo("{default map[] [{172.17.0.0/16  172.17.0.1 map[]}]}");
        assertThat(typed(network, "network", "{{json .IPAM}}"))
                .isEqualTo("{\"Driver\":\"default\",\"Options\":{},\"Config\":[{\"Subnet\":\"172.17.0.0/16\",\"Gateway\":\"172.17.0.1\"}]}");
    }

    @Test
    void unknownShapes_haveNoTypedView() throws Exception {
        assertThat(GoTypes.typed(Json.MAPPER.readValue("{\"State\":{}}", Object.class), "object")).isNull();
        assertThat(GoTypes.typed("text", "container")).isNull();
    }
}
