package dev.skiff.engine.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogDriversTest {
    private static void refused(String driver, Map<String, String> opts, String message) {
        assertThatThrownBy(() -> LogDrivers.validate(driver, opts)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void options_areCheckedAsDockerdChecksThem() {
        refused("syslog", Map.of("gelf-address", "udp://x:1"), "unknown log opt 'gelf-address' for syslog log driver");
        refused("syslog", Map.of("syslog-address", "http://x"), "unsupported scheme: 'http'");
        refused("syslog", Map.of("syslog-address", "tcp://host:99999"), "invalid port '99999'");
        refused("syslog", Map.of("syslog-address", "unix:///nonexistent/log.sock"), "no such socket");
        refused("syslog", Map.of("syslog-facility", "nope"), "invalid syslog facility value: nope");
        refused("syslog", Map.of("syslog-format", "rfc9999"), "Invalid syslog format: rfc9999");
        refused("gelf", Map.of(), "gelf-address is a required parameter");
        refused("gelf", Map.of("gelf-address", "http://x:1"), "unsupported scheme: 'http'");
        refused("gelf", Map.of("gelf-address", "udp://x"), "give the port");
        refused("gelf", Map.of("gelf-address", "tcp://x:1", "gelf-compression-type", "gzip"), "only valid for UDP");
        refused("gelf", Map.of("gelf-address", "udp://x:1", "gelf-tcp-max-reconnect", "3"), "only valid for TCP");
        refused("gelf", Map.of("gelf-address", "udp://x:1", "gelf-compression-type", "lz4"), "Unknown gelf compression type");
        refused("gelf", Map.of("gelf-address", "udp://x:1", "gelf-compression-level", "12"), "-1 to 9");
        refused("fluentd", Map.of("fluentd-async", "maybe"), "invalid value for fluentd-async");
        refused("fluentd", Map.of("fluentd-address", "udp://x:1"), "unsupported scheme: 'udp'");
        refused("journald", Map.of("syslog-address", "tcp://x:1"), "unknown log opt 'syslog-address' for journald");
        assertThatCode(() -> LogDrivers.validate("syslog", Map.of("syslog-address", "tcp+tls://[::1]:6514",
                "syslog-facility", "local3", "syslog-format", "rfc5424micro", "tag", "{{.Name}}", "cache-max-size", "5m",
                "mode", "non-blocking"))).doesNotThrowAnyException();
        assertThatCode(() -> LogDrivers.validate("fluentd", Map.of("fluentd-address", "fluent.example:24224",
                "labels", "a", "env", "B"))).doesNotThrowAnyException();
        assertThatCode(() -> LogDrivers.validate("gelf", Map.of("gelf-address", "udp://127.0.0.1:12201",
                "gelf-compression-type", "none"))).doesNotThrowAnyException();
    }

    @Test
    void addresses_takeTheDriversDefaults() {
        assertThat(Endpoint.parse("udp://logs.example", "syslog-address", SyslogSink.SCHEMES, 514))
                .isEqualTo(new Endpoint("udp", "logs.example", 514, ""));
        assertThat(Endpoint.parse("tcp://[::1]:601", "syslog-address", SyslogSink.SCHEMES, 514).toString())
                .isEqualTo("tcp://[::1]:601");
        assertThat(LogDrivers.fluentdEndpoint(Map.of())).isEqualTo(new Endpoint("tcp", "127.0.0.1", 24224, ""));
        assertThat(LogDrivers.fluentdEndpoint(Map.of("fluentd-address", "fluentd"))).isEqualTo(
                new Endpoint("tcp", "fluentd", 24224, ""));
        assertThat(LogDrivers.fluentdEndpoint(Map.of("fluentd-address", "unix:///run/fluent.sock")).path())
                .isEqualTo("/run/fluent.sock");
    }

    private static LogMessage msg(String text, boolean stderr) {
        return new LogMessage(1_796_600_000_123_456_789L, stderr, text.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void syslog_writesDockerdsFormats() {
        LogSource src = LogSinkContract.SOURCE;
        SyslogSink unix = new SyslogSink(null, "x", SyslogSink.Format.UNIX, 3, src, 42, false, ZoneOffset.UTC);
        assertThat(new String(unix.format(msg("hi", false)), StandardCharsets.UTF_8))
                .isEqualTo("<30>Dec  6 23:33:20 0123456789ab[42]: hi\n");
        SyslogSink rfc3164 = new SyslogSink(null, "x", SyslogSink.Format.RFC3164, 16, src, 42, false, ZoneOffset.UTC);
        assertThat(new String(rfc3164.format(msg("err", true)), StandardCharsets.UTF_8))
                .isEqualTo("<131>Dec  6 23:33:20 testhost 0123456789ab[42]: err\n");
        SyslogSink rfc5424 = new SyslogSink(null, "x", SyslogSink.Format.RFC5424, 3, src, 42, false, ZoneOffset.UTC);
        assertThat(new String(rfc5424.format(msg("hi", false)), StandardCharsets.UTF_8))
                .isEqualTo("<30>1 2026-12-06T23:33:20Z testhost 0123456789ab 42 0123456789ab - hi\n");
        SyslogSink micro = new SyslogSink(null, "x", SyslogSink.Format.RFC5424_MICRO, 3, src, 42, true, ZoneOffset.ofHours(1));
        assertThat(new String(micro.format(msg("hi", false)), StandardCharsets.UTF_8))
                .isEqualTo("82 <30>1 2026-12-07T00:33:20.123456+01:00 testhost 0123456789ab 42 0123456789ab - hi\n");
    }

    @Test
    void gelf_carriesTheContainersFields() throws Exception {
        GelfSink g = new GelfSink(null, new Endpoint("udp", "h", 1, ""), GelfSink.Compression.GZIP, -1,
                LogSinkContract.SOURCE);
        LogSinkContract.Received r = GelfDecoder.json(g.json(msg("hello", true)));
        assertThat(r.line()).isEqualTo("hello");
        assertThat(r.fields()).containsEntry("version", "1.1").containsEntry("host", "testhost")
                .containsEntry("level", "3")
                .containsEntry("_container_name", "web-1").containsEntry("_container_id", LogSinkContract.SOURCE.id())
                .containsEntry("_image_name", "busybox:latest").containsEntry("_tag", "0123456789ab")
                .containsEntry("_command", "sh -c echo").containsEntry("_com.example.team", "ops");
        assertThat(new String(g.json(msg("x", false)), StandardCharsets.UTF_8)).contains("\"timestamp\":1796600000.123456,");
        byte[][] chunks = GelfSink.chunks(new byte[5000]);
        assertThat(chunks).hasNumberOfRows(4);
        assertThat(chunks[3][10]).isEqualTo((byte) 3);
        assertThat(chunks[3][11]).isEqualTo((byte) 4);
        assertThatThrownBy(() -> GelfSink.chunks(new byte[200_000])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fluentd_recordsAreDockerds() {
        FluentdSink f = new FluentdSink(null, new Endpoint("tcp", "h", 1, ""), false, false, LogSinkContract.SOURCE);
        Object entry = FluentdDecoder.read(f.encode(msg("hello", false), null), new int[] {0});
        assertThat(entry).asList().containsExactly("0123456789ab", 1_796_600_000L, Map.of("container_id",
                LogSinkContract.SOURCE.id(), "container_name", "/web-1", "source", "stdout", "log", "hello",
                "com.example.team", "ops"));
    }
}
