package dev.skiff.engine.logging;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A UDP destination for the sink tests: each datagram goes to a decoder, which may add a line. */
public final class UdpDestination implements LogSinkContract.Destination {
    public interface Decoder {
        void decode(byte[] datagram, List<LogSinkContract.Received> out) throws IOException;
    }

    private final DatagramSocket socket;
    private final List<LogSinkContract.Received> received = new CopyOnWriteArrayList<>();

    public UdpDestination(Decoder decoder) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            byte[] b = new byte[65536];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    socket.receive(p);
                    decoder.decode(java.util.Arrays.copyOf(p.getData(), p.getLength()), received);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public List<LogSinkContract.Received> received() {
        return received;
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException("a datagram destination keeps no connection");
    }

    @Override
    public void close() {
        socket.close();
    }
}
