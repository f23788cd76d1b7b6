package dev.skiff.engine.logging;

import java.io.IOException;
import java.util.Map;

class SyslogTcpSinkTest extends LogSinkContract {
    private TcpDestination tcp;

    @Override
    protected Destination destination() throws Exception {
        tcp = new TcpDestination((buf, out, c) -> SyslogDecoder.lines(buf, out));
        return tcp;
    }

    @Override
    protected LogSink open(Destination d) throws IOException {
        return LogDrivers.open("syslog", Map.of("syslog-address", "tcp://127.0.0.1:" + tcp.port(),
                "syslog-format", "rfc5424"), SOURCE);
    }

    @Override
    protected LogSink openNowhere() throws IOException {
        return LogDrivers.open("syslog", Map.of("syslog-address", "tcp://127.0.0.1:1"), SOURCE);
    }
}
