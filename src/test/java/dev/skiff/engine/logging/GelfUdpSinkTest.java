package dev.skiff.engine.logging;

import java.io.IOException;
import java.util.Map;

/** GELF over UDP: gzip by default, chunked above 1420 bytes (the contract's 16 KiB line of one letter compresses
 * small, so a line of random text makes the chunks). */
class GelfUdpSinkTest extends LogSinkContract {
    private UdpDestination udp;

    @Override
    protected Destination destination() throws Exception {
        GelfDecoder decoder = new GelfDecoder();
        udp = new UdpDestination(decoder::datagram);
        return udp;
    }

    @Override
    protected LogSink open(Destination d) throws IOException {
        return LogDrivers.open("gelf", Map.of("gelf-address", "udp://127.0.0.1:" + udp.port()), SOURCE);
    }

    @Override
    protected LogSink openNowhere() throws IOException {
        return LogDrivers.open("gelf", Map.of("gelf-address", "udp://127.0.0.1:1"), SOURCE);
    }

    @Override
    protected boolean overUdp() {
        return true;
    }
}
