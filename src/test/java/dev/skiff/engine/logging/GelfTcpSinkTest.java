package dev.skiff.engine.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** GELF over TCP: plain JSON, each message ended by a NUL byte. */
class GelfTcpSinkTest extends LogSinkContract {
    private TcpDestination tcp;

    @Override
    protected Destination destination() throws Exception {
        tcp = new TcpDestination((buf, out, c) -> TcpDestination.frames(buf, (byte) 0, (f, n) -> {
            try {
                out.add(GelfDecoder.json(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        return tcp;
    }

    @Override
    protected LogSink open(Destination d) throws IOException {
        return LogDrivers.open("gelf", Map.of("gelf-address", "tcp://127.0.0.1:" + tcp.port()), SOURCE);
    }

    @Override
    protected LogSink openNowhere() throws IOException {
        return LogDrivers.open("gelf", Map.of("gelf-address", "tcp://127.0.0.1:1"), SOURCE);
    }
}
