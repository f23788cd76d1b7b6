package dev.skiff.engine.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaldSinkTest extends LogSinkContract {
    @TempDir
    Path dir;
    private UnixDatagramDestination socket;

    @Override
    protected Destination destination() throws Exception {
        socket = new UnixDatagramDestination(dir.resolve("journal.sock"), JournaldDecoder::decode);
        return socket;
    }

    @Override
    protected LogSink open(Destination d) throws IOException {
        return opened(socket.path());
    }

    @Override
    protected LogSink openNowhere() throws IOException {
        return opened(dir.resolve("nothing.sock"));
    }

    private static LogSink opened(Path path) throws IOException {
        JournaldSink s = new JournaldSink(new Transport.UnixDatagram(path.toString()), path.toString(), SOURCE);
        try {
            s.connect();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    @Test
    void fields_areDockerdsJournaldFields() throws Exception {
        Destination d = started();
        try (LogSink sink = open(d)) {
            sink.send(line("hello", true));
            Map<String, String> f = d.await(1, java.time.Duration.ofSeconds(5)).getFirst().fields();
            assertThat(f).containsEntry("MESSAGE", "hello").containsEntry("PRIORITY", "3")
                    .containsEntry("CONTAINER_ID", "0123456789ab").containsEntry("CONTAINER_ID_FULL", SOURCE.id())
                    .containsEntry("CONTAINER_NAME", "web-1").containsEntry("CONTAINER_TAG", "0123456789ab")
                    .containsEntry("SYSLOG_IDENTIFIER", "0123456789ab").containsEntry("IMAGE_NAME", "busybox:latest")
                    .containsEntry("COM_EXAMPLE_TEAM", "ops")
                    .containsEntry("SYSLOG_TIMESTAMP", "2026-12-06T23:33:20.123456789Z");
        }
    }

    @Test
    void aValueWithANewline_goesInTheBinaryForm() throws Exception {
        JournaldSink s = new JournaldSink(new Transport.UnixDatagram("/nonexistent"), "/nonexistent", SOURCE);
        byte[] d = s.datagram(new LogMessage(0, false, "two\nlines".getBytes(StandardCharsets.UTF_8), true));
        Map<String, String> f = JournaldDecoder.fields(d);
        assertThat(f).containsEntry("MESSAGE", "two\nlines").containsEntry("CONTAINER_PARTIAL_MESSAGE", "true");
        assertThat(new String(d, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("MESSAGE\n");
    }

    @Test
    void fieldNames_areSanitisedAsJournaldWantsThem() {
        assertThat(JournaldSink.fieldName("com.example-team")).isEqualTo("COM_EXAMPLE_TEAM");
        assertThat(JournaldSink.fieldName("_secret")).isEqualTo("SECRET");
        assertThat(JournaldSink.fieldName("Ünï")).isEqualTo("N_");
    }
}
