package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.cli.commands.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Listing commands beyond ps: images --digests, history, events, top, port, diff, and timestamps. */
class CliListingsTest {
    @BeforeAll
    static void utc() {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    @Test
    void images_digestsAddAColumn() {
        FakeApiClient api = new FakeApiClient().on("GET /images/json?digests=1", """
                [{"Id":"sha256:aaaaaaaaaaaaaaaa","RepoTags":["docker.io/library/busybox:latest"],
                  "RepoDigests":["docker.io/library/busybox@sha256:dddd"],"Created":%d,"Size":4261000}]"""
                .formatted(CliHarness.NOW.getEpochSecond() - 3 * 86400));
        CliHarness.Result r = CliHarness.run(api, "images", "--digests");
        assertThat(r.out()).isEqualTo("""
                REPOSITORY   TAG       DIGEST        IMAGE ID       CREATED      SIZE
                busybox      latest    sha256:dddd   aaaaaaaaaaaa   3 days ago   4.26MB
                """);
    }

    @Test
    void history_humanAndRaw() {
        FakeApiClient api = new FakeApiClient().on("GET /images/busybox/history", """
                [{"Id":"sha256:aaaaaaaaaaaaaaaa","Created":%d,"CreatedBy":"/bin/sh -c #(nop)  CMD [\\"sh\\"]","Size":0,"Comment":""},
                 {"Id":"<missing>","Created":%d,"CreatedBy":"/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789 in / ","Size":4261000,"Comment":"imported"}]"""
                .formatted(CliHarness.NOW.getEpochSecond() - 120, CliHarness.NOW.getEpochSecond() - 120));
        CliHarness.Result r = CliHarness.run(api, "history", "busybox");
        assertThat(r.out()).isEqualTo("""
                IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT
                aaaaaaaaaaaa   2 minutes ago   /bin/sh -c #(nop)  CMD ["sh"]                   0B        \n\
                <missing>      2 minutes ago   /bin/sh -c #(nop) ADD file:0123456789abcdef0…   4.26MB    imported
                """);
        CliHarness.Result raw = CliHarness.run(api, "history", "--human=false", "--format", "{{.Size}}", "busybox");
        assertThat(raw.out()).isEqualTo("0\n4261000\n");
    }

    @Test
    void events_prettyAndTemplated() {
        FakeApiClient api = new FakeApiClient().on("GET /events*", """
                {"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"web","image":"busybox"}},"time":1767960000,"timeNano":1767960000000000001}
                {"Type":"image","Action":"tag","Actor":{"ID":"sha256:1","Attributes":{}},"time":1767960001,"timeNano":1767960001000000000}
                """);
        CliHarness.Result r = CliHarness.run(api, "events", "--since", "1h", "--filter", "type=container");
        assertThat(r.out()).isEqualTo("""
                2026-01-09T12:00:00.000000001Z container start abc (image=busybox, name=web)
                2026-01-09T12:00:01.000000000Z image tag sha256:1
                """);
        assertThat(api.paths().getFirst()).isEqualTo("GET /events?filters=%7B%22type%22%3A%7B%22container%22%3Atrue%7D%7D&since=1768042800.000000000");
        CliHarness.Result t = CliHarness.run(api, "events", "--format", "{{.Type}}/{{.Action}}");
        assertThat(t.out()).isEqualTo("container/start\nimage/tag\n");
        // on docker's events.Message: Go field names, zero values, the daemon's JSON for {{json}}; others fail (exit 64)
        assertThat(CliHarness.run(api, "events", "--format", "{{.Actor.Attributes.name}}|{{.Status}}|{{.Scope}}|{{.Time}}").out())
                .isEqualTo("web|||1767960000\n<no value>|||1767960001\n");
        assertThat(CliHarness.run(api, "events", "--format", "{{json .Actor}}").out()).startsWith(
                "{\"ID\":\"abc\",\"Attributes\":{\"image\":\"busybox\",\"name\":\"web\"}}\n");
        CliHarness.Result bad = CliHarness.run(api, "events", "--format", "{{.status}}");
        assertThat(bad.err()).isEqualTo("Error parsing format: template: :1:2: executing \"\" at <.status>: "
                + "can't evaluate field status in type *events.Message\n");
        assertThat(bad.exit()).isEqualTo(64);
    }

    @Test
    void top_portAndDiff() {
        FakeApiClient api = new FakeApiClient()
                .on("GET /containers/web/top?ps_args=-ef", "{\"Titles\":[\"UID\",\"PID\",\"CMD\"],\"Processes\":[[\"root\",\"42\",\"sleep 100\"]]}")
                .on("GET /containers/web/json", """
                        {"NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}],"53/udp":null}}}""")
                .on("GET /containers/web/changes", "[{\"Path\":\"/etc\",\"Kind\":0},{\"Path\":\"/etc/x\",\"Kind\":1},{\"Path\":\"/tmp/y\",\"Kind\":2}]");
        assertThat(CliHarness.run(api, "top", "web", "-ef").out()).isEqualTo("""
                UID                 PID                 CMD
                root                42                  sleep 100
                """);
        assertThat(CliHarness.run(api, "port", "web").out()).isEqualTo("80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n");
        assertThat(CliHarness.run(api, "port", "web", "80").out()).isEqualTo("0.0.0.0:8080\n[::]:8080\n");
        CliHarness.Result none = CliHarness.run(api, "port", "web", "53/udp");
        assertThat(none.err()).isEqualTo("Error: No public port '53/udp' published for web\n");
        assertThat(CliHarness.run(api, "diff", "web").out()).isEqualTo("C /etc\nA /etc/x\nD /tmp/y\n");
    }

    @Test
    void timestamps_acceptDurationsDatesAndSeconds() {
        Instant now = Instant.parse("2026-01-10T12:00:00Z");
        assertThat(Timestamps.toApi("42m", now)).isEqualTo("1768043880.000000000");
        assertThat(Timestamps.toApi("2026-01-10T11:00:00Z", now)).isEqualTo("1768042800.000000000");
        assertThat(Timestamps.toApi("1700000000", now)).isEqualTo("1700000000");
        assertThat(Timestamps.toApi("0", now)).isEqualTo("0"); // the epoch, not "now minus nothing"
        assertThat(Timestamps.toApi("-1h", now)).isEqualTo("1768050000.000000000"); // Go's negative duration: ahead
    }
}
