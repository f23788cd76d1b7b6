package dev.skiff.engine.logging;

import java.io.IOException;
import java.util.Map;

/** With fluentd-request-ack every line waits for fluentd's ack of its chunk; times as EventTime. */
class FluentdAckSinkTest extends FluentdSinkTest {
    @Override
    protected LogSink open(Destination d) throws IOException {
        return LogDrivers.open("fluentd", Map.of("fluentd-address", "127.0.0.1:" + port(),
                "fluentd-request-ack", "true", "fluentd-sub-second-precision", "true"), SOURCE);
    }
}
