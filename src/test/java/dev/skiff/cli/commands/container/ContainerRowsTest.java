package dev.skiff.cli.commands.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerRowsTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void command_isQuotedAndCutAt20() {
        assertThat(ContainerRows.command("sleep 10", true)).isEqualTo("\"sleep 10\"");
        assertThat(ContainerRows.command("/docker-entrypoint.sh nginx -g 'daemon off;'", true)).isEqualTo("\"/docker-entrypoint.…\"");
        assertThat(ContainerRows.command("/docker-entrypoint.sh nginx", false)).isEqualTo("\"/docker-entrypoint.sh nginx\"");
        assertThat(ContainerRows.command("echo \"hi\"", true)).isEqualTo("\"echo \\\"hi\\\"\"");
    }

    @Test
    void ports_groupRangesLikeDocker() throws Exception {
        assertThat(ContainerRows.ports(json("""
                [{"PrivatePort":100,"Type":"tcp"},{"PrivatePort":101,"Type":"tcp"},{"PrivatePort":102,"Type":"tcp"},
                 {"PrivatePort":53,"Type":"udp"}]"""))).isEqualTo("53/udp, 100-102/tcp");
        assertThat(ContainerRows.ports(json("""
                [{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
                 {"IP":"::","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
                 {"IP":"0.0.0.0","PrivatePort":443,"PublicPort":443,"Type":"tcp"}]""")))
                .isEqualTo("0.0.0.0:443->443/tcp, 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp");
        assertThat(ContainerRows.ports(json("[]"))).isEmpty();
    }

    @Test
    void names_dropSlashAndLinks() throws Exception {
        assertThat(ContainerRows.names(json("[\"/web/db\",\"/db\"]"), true)).isEqualTo("db");
        assertThat(ContainerRows.names(json("[\"/web/db\",\"/db\"]"), false)).isEqualTo("web/db,db");
    }

    @Test
    void status_readsLikeDockerStateString() throws Exception {
        assertThat(ContainerStatus.describe(json("{\"Running\":true,\"StartedAt\":\"2026-01-10T11:59:57Z\"}"), NOW))
                .isEqualTo("Up 3 seconds");
        assertThat(ContainerStatus.describe(json("{\"Running\":true,\"Paused\":true,\"StartedAt\":\"2026-01-10T11:59:58Z\"}"), NOW))
                .isEqualTo("Up 2 seconds (Paused)");
        assertThat(ContainerStatus.describe(json("""
                {"Running":false,"ExitCode":0,"StartedAt":"2026-01-10T11:50:00Z","FinishedAt":"2026-01-10T11:58:00Z"}"""), NOW))
                .isEqualTo("Exited (0) 2 minutes ago");
        assertThat(ContainerStatus.describe(json("{\"Running\":false,\"StartedAt\":\"0001-01-01T00:00:00Z\"}"), NOW))
                .isEqualTo("Created");
        assertThat(ContainerStatus.describe(json("""
                {"Running":true,"StartedAt":"2026-01-10T10:00:00Z","Health":{"Status":"starting"}}"""), NOW))
                .isEqualTo("Up 2 hours (health: starting)");
    }

    @Test
    void row_fieldsAndLabelMethod() throws Exception {
        JsonNode c = json("""
                {"Id":"0123456789abcdef","Names":["/web"],"Image":"docker.io/library/busybox:latest@sha256:abc","ImageID":"sha256:ff",
                 "Command":"sh","Created":%d,"State":"exited","Status":"Exited (1) 2 hours ago","Labels":{"b":"2","a":"1"},
                 "SizeRw":12000,"SizeRootFs":4300000,"Mounts":[{"Name":"data","Driver":"local"}],
                 "NetworkSettings":{"Networks":{"bridge":{}}}}""".formatted(NOW.getEpochSecond() - 7200));
        dev.skiff.cli.format.Row row = ContainerRows.row(c, true, NOW);
        String out = dev.skiff.cli.format.Template.parse(
                "{{.ID}}|{{.Image}}|{{.RunningFor}}|{{.Size}}|{{.Labels}}|{{.Label \"a\"}}|{{.Mounts}}|{{.LocalVolumes}}|{{.Networks}}|{{.State}}")
                .execute(row);
        assertThat(out).isEqualTo("0123456789ab|busybox:latest|2 hours ago|12kB (virtual 4.3MB)|a=1,b=2|1|data|1|bridge|exited");
    }

    @Test
    void stats_computeLikeDocker() throws Exception {
        JsonNode s = json("""
                {"id":"0123456789abcdef","name":"/web",
                 "cpu_stats":{"cpu_usage":{"total_usage":300},"system_cpu_usage":2000,"online_cpus":2},
                 "precpu_stats":{"cpu_usage":{"total_usage":100},"system_cpu_usage":1000},
                 "memory_stats":{"usage":2097152,"limit":8388608,"stats":{"inactive_file":524288}},
                 "networks":{"eth0":{"rx_bytes":1000,"tx_bytes":2000},"eth1":{"rx_bytes":500,"tx_bytes":0}},
                 "blkio_stats":{"io_service_bytes_recursive":[{"op":"read","value":4096},{"op":"write","value":8192}]},
                 "pids_stats":{"current":3}}""");
        String out = dev.skiff.cli.format.Template.parse(
                "{{.ID}}|{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.NetIO}}|{{.BlockIO}}|{{.PIDs}}")
                .execute(StatsRows.row("web", s, true));
        assertThat(out).isEqualTo("0123456789ab|web|40.00%|1.5MiB / 8MiB|18.75%|1.5kB / 2kB|4.1kB / 8.19kB|3");
    }
}
