package dev.skiff.engine.logging;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An AF_UNIX datagram destination (journald's socket, /dev/log) for the tests: bound through FFM, as the JDK binds
 * no such socket. {@link #restart()} unbinds and binds the path again, as a restarted journald does.
 */
public final class UnixDatagramDestination implements LogSinkContract.Destination {
    public interface Decoder {
        void decode(byte[] datagram, List<LogSinkContract.Received> out) throws IOException;
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = LINKER.downcallHandle(LINKER.defaultLookup().find("socket").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = LINKER.downcallHandle(LINKER.defaultLookup().find("bind").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = LINKER.downcallHandle(LINKER.defaultLookup().find("recv").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT));
    private static final MethodHandle SHUTDOWN = LINKER.downcallHandle(LINKER.defaultLookup().find("shutdown").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Path path;
    private final Decoder decoder;
    private final List<LogSinkContract.Received> received = new CopyOnWriteArrayList<>();
    private volatile int fd = -1;
    private Thread reader;

    public UnixDatagramDestination(Path path, Decoder decoder) throws IOException {
        this.path = path;
        this.decoder = decoder;
        bind();
    }

    public Path path() {
        return path;
    }

    private void bind() throws IOException {
        Files.deleteIfExists(path);
        try (Arena arena = Arena.ofConfined()) {
            int s = (int) SOCKET.invokeExact(1, 2, 0); // AF_UNIX, SOCK_DGRAM
            byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment addr = arena.allocate(110);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            if ((int) BIND.invokeExact(s, addr, 110) != 0) {
                throw new IOException("cannot bind " + path);
            }
            fd = s;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        int mine = fd;
        reader = Thread.ofPlatform().daemon().start(() -> {
            try (Arena arena = Arena.ofShared()) {
                MemorySegment buf = arena.allocate(1 << 20);
                while (true) {
                    long n = (long) RECV.invokeExact(mine, buf, buf.byteSize(), 0);
                    if (n <= 0) {
                        return;
                    }
                    decoder.decode(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), received);
                }
            } catch (Throwable t) {
                // closed
            }
        });
    }

    @Override
    public List<LogSinkContract.Received> received() {
        return received;
    }

    @Override
    public void restart() throws Exception {
        unbind();
        bind();
    }

    private void unbind() {
        int s = fd;
        fd = -1;
        if (s >= 0) {
            try {
                int ignored = (int) SHUTDOWN.invokeExact(s, 2);
                ignored = (int) CLOSE.invokeExact(s);
                reader.join(2000);
            } catch (Throwable t) {
                // teardown
            }
        }
    }

    @Override
    public void close() {
        unbind();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // teardown
        }
    }
}
