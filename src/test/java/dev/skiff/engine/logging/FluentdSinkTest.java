package dev.skiff.engine.logging;

import java.io.IOException;
import java.util.Map;

class FluentdSinkTest extends LogSinkContract {
    private TcpDestination tcp;

    @Override
    protected Destination destination() throws Exception {
        FluentdDecoder decoder = new FluentdDecoder(true);
        tcp = new TcpDestination(decoder::decode);
        return tcp;
    }

    @Override
    protected LogSink open(Destination d) throws IOException {
        return LogDrivers.open("fluentd", Map.of("fluentd-address", "127.0.0.1:" + tcp.port()), SOURCE);
    }

    @Override
    protected LogSink openNowhere() throws IOException {
        return LogDrivers.open("fluentd", Map.of("fluentd-address", "tcp://127.0.0.1:1"), SOURCE);
    }

    int port() {
        return tcp.port();
    }
}
