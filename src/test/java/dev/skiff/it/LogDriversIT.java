package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.logging.FluentdDecoder;
import dev.skiff.engine.logging.GelfDecoder;
import dev.skiff.engine.logging.LogSinkContract.Received;
import dev.skiff.engine.logging.SyslogDecoder;
import dev.skiff.engine.logging.TcpDestination;
import dev.skiff.engine.logging.UdpDestination;
import dev.skiff.engine.logging.JournaldDecoder;
import dev.skiff.engine.logging.UnixDatagramDestination;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The log drivers that ship lines away (syslog, gelf, fluentd, journald) through the docker CLI, each against a
 * local destination speaking its protocol: the lines arrive with dockerd's fields, docker logs still reads the
 * local copy, a destination that is not there fails the start, and a destination that is down while the daemon is
 * killed gets every line once both are back.
 */
class LogDriversIT {
    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void syslog_getsEveryLine_andDockerLogsStillReads() throws Exception {
        try (TcpDestination syslog = new TcpDestination((buf, out, c) -> SyslogDecoder.lines(buf, out))) {
            // --rm: the container is removed at once, after its last lines went out
            Cli.Result run = docker(daemon, "run", "--rm", "--name", "sl-rm", "--log-driver", "syslog",
                    "--log-opt", "syslog-address=tcp://127.0.0.1:" + syslog.port(), "--log-opt", "syslog-format=rfc5424",
                    "--log-opt", "tag={{.Name}}", "busybox", "sh", "-c", "seq 1 200; echo oops >&2");
            run.assertOk();
            List<Received> got = syslog.await(201, Duration.ofSeconds(20));
            assertThat(got.stream().filter(r -> !r.stderr()).map(Received::line).toList())
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, 200).mapToObj(Integer::toString).toList());
            Received err = got.stream().filter(Received::stderr).findFirst().orElseThrow();
            assertThat(err.line()).isEqualTo("oops");
            assertThat(err.fields().get("pri")).isEqualTo("27"); // daemon.err
            assertThat(err.fields().get("header")).matches("<27>1 \\S+ \\S+ sl-rm \\d+ sl-rm - ");

            docker(daemon, "run", "-d", "--name", "sl-kept", "--log-driver", "syslog", "--log-opt",
                    "syslog-address=tcp://127.0.0.1:" + syslog.port(), "busybox", "echo", "kept locally").assertOk();
            docker(daemon, "wait", "sl-kept").assertOk();
            assertThat(docker(daemon, "logs", "sl-kept").assertOk().stdout()).isEqualTo("kept locally\n");
            assertThat(docker(daemon, "inspect", "-f", "{{.HostConfig.LogConfig.Type}}", "sl-kept").out()).isEqualTo("syslog");
            docker(daemon, "rm", "sl-kept").assertOk();
        }
        assertThat(docker(daemon, "info", "--format", "{{.Plugins.Log}}").assertOk().out())
                .isEqualTo("[fluentd gelf journald json-file local none syslog]");
    }

    @Test
    void gelfAndFluentd_carryDockerdsFields() throws Exception {
        GelfDecoder gelf = new GelfDecoder();
        try (UdpDestination graylog = new UdpDestination(gelf::datagram);
             TcpDestination fluentd = new TcpDestination(new FluentdDecoder(false)::decode)) {
            docker(daemon, "run", "--rm", "--name", "gl", "--log-driver", "gelf", "--log-opt",
                    "gelf-address=udp://127.0.0.1:" + graylog.port(), "--label", "team=ops", "--log-opt", "labels=team",
                    "busybox", "echo", "to graylog").assertOk();
            Received g = graylog.await(1, Duration.ofSeconds(10)).getFirst();
            assertThat(g.line()).isEqualTo("to graylog");
            assertThat(g.fields()).containsEntry("_container_name", "gl").containsEntry("_image_name", "busybox")
                    .containsEntry("_command", "echo to graylog").containsEntry("_team", "ops").containsEntry("level", "6");

            docker(daemon, "run", "--rm", "--name", "fl", "--log-driver", "fluentd", "--log-opt",
                    "fluentd-address=127.0.0.1:" + fluentd.port(), "--log-opt", "tag=docker.{{.Name}}",
                    "busybox", "sh", "-c", "echo to fluentd >&2").assertOk();
            Received f = fluentd.await(1, Duration.ofSeconds(10)).getFirst();
            assertThat(f.line()).isEqualTo("to fluentd");
            assertThat(f.fields()).containsEntry("tag", "docker.fl").containsEntry("container_name", "/fl")
                    .containsEntry("source", "stderr");
        }
    }

    @Test
    void aDestinationThatIsNotThere_failsTheStart_andABadOptionTheCreate() {
        Cli.Result r = docker(daemon, "run", "--rm", "--log-driver", "syslog", "--log-opt",
                "syslog-address=tcp://127.0.0.1:1", "busybox", "true");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("failed to initialize logging driver").contains("syslog at tcp://127.0.0.1:1");
        Cli.Result bad = docker(daemon, "create", "--log-driver", "gelf", "busybox", "true");
        assertThat(bad.exitCode()).isEqualTo(1); // docker create's, where run's is 125
        assertThat(bad.stderr()).contains("gelf-address is a required parameter");
        assertThat(docker(daemon, "create", "--log-driver", "splunk", "busybox", "true").stderr())
                .contains("logger: no log driver named 'splunk' is registered");
    }

    @Test
    void linesWrittenWhileTheDestinationIsDown_andTheDaemonKilled_allArrive() throws Exception {
        try (TcpDestination syslog = new TcpDestination((buf, out, c) -> SyslogDecoder.lines(buf, out))) {
            docker(daemon, "run", "-d", "--name", "sl-crash", "--log-driver", "syslog", "--log-opt",
                    "syslog-address=tcp://127.0.0.1:" + syslog.port(), "busybox", "sh", "-c",
                    "for i in $(seq 1 12); do echo line$i; sleep 0.25; done").assertOk();
            syslog.await(1, Duration.ofSeconds(10));
            syslog.pause();
            Thread.sleep(800);
            daemon.kill9();
            Thread.sleep(1500);
            syslog.resume();
            daemon.launch();
            docker(daemon, "wait", "sl-crash").assertOk();
            List<Received> got = syslog.await(12, Duration.ofSeconds(30));
            assertThat(got.stream().map(Received::line).distinct().toList())
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(i -> "line" + i).toList());
            docker(daemon, "rm", "sl-crash").assertOk();
        }
    }

    @Test
    void theDaemonsLogDriver_isEveryContainersThatNamesNone() throws Exception {
        try (TcpDestination syslog = new TcpDestination((buf, out, c) -> SyslogDecoder.lines(buf, out))) {
            daemon.config("{\"log-driver\": \"syslog\", \"log-opts\": {\"syslog-address\": \"tcp://127.0.0.1:"
                    + syslog.port() + "\", \"tag\": \"from-daemon\"}}");
            daemon.stop();
            daemon.launch();
            try {
                assertThat(docker(daemon, "info", "--format", "{{.LoggingDriver}}").assertOk().out()).isEqualTo("syslog");
                docker(daemon, "run", "--rm", "--name", "dflt", "busybox", "echo", "by default").assertOk();
                Received r = syslog.await(1, Duration.ofSeconds(10)).getFirst();
                assertThat(r.line()).isEqualTo("by default");
                assertThat(r.fields().get("header")).contains("from-daemon[");
                // a container naming its own driver takes none of the daemon's options
                docker(daemon, "run", "--rm", "--log-driver", "json-file", "busybox", "true").assertOk();
            } finally {
                daemon.config("{}");
                daemon.stop();
                daemon.launch();
            }
        }
    }

    @Test
    void journald_getsTheLines_withDockerdsFields() throws Exception {
        java.nio.file.Path socket = daemon.dir().resolve("journal.sock");
        try (UnixDatagramDestination journal = new UnixDatagramDestination(socket, JournaldDecoder::decode)) {
            daemon.environment("SKIFF_JOURNALD_SOCKET", socket.toString());
            daemon.stop();
            daemon.launch();
            docker(daemon, "run", "--rm", "--name", "jd", "--log-driver", "journald", "busybox", "echo",
                    "to the journal").assertOk();
            Received r = journal.await(1, Duration.ofSeconds(10)).getFirst();
            assertThat(r.line()).isEqualTo("to the journal");
            assertThat(r.fields()).containsEntry("CONTAINER_NAME", "jd").containsEntry("PRIORITY", "6")
                    .containsEntry("IMAGE_NAME", "busybox").containsKey("CONTAINER_ID_FULL");
        }
    }
}
