package dev.skiff.engine.logging;

import java.io.IOException;
import java.util.Map;

class SyslogUdpSinkTest extends LogSinkContract {
    private UdpDestination udp;

    @Override
    protected Destination destination() throws Exception {
        udp = new UdpDestination((d, out) -> out.add(SyslogDecoder.decode(d)));
        return udp;
    }

    @Override
    protected LogSink open(Destination d) throws IOException {
        return LogDrivers.open("syslog", Map.of("syslog-address", "udp://127.0.0.1:" + udp.port(),
                "syslog-format", "rfc3164"), SOURCE);
    }

    @Override
    protected LogSink openNowhere() throws IOException {
        return LogDrivers.open("syslog", Map.of("syslog-address", "udp://127.0.0.1:1"), SOURCE);
    }

    @Override
    protected boolean overUdp() {
        return true;
    }
}
