package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SocketReader over a non-blocking socketpair, as an event loop keeps its sockets: reads wait for data, see the end
 * of the stream, and a close from another thread ends a waiting read and releases the duplicate descriptor.
 */
class SocketReaderTest {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKETPAIR = handle("socketpair", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_NONBLOCK = 04000;

    private int ours;
    private int peer;

    @BeforeEach
    void pair() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertThat((int) SOCKETPAIR.invokeExact(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds)).isZero();
            ours = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            peer = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        }
    }

    @AfterEach
    void closePair() throws Throwable {
        int ignored = (int) CLOSE.invokeExact(ours);
        if (peer >= 0) {
            ignored = (int) CLOSE.invokeExact(peer);
        }
    }

    @Test
    void readsWhatIsThere_waitsForWhatIsNot_andSeesTheEnd() throws Throwable {
        try (SocketReader reader = SocketReader.duplicate(ours)) {
            send("hello");
            byte[] buf = new byte[64];
            int n = reader.read(buf, 3, 10);
            assertThat(new String(buf, 3, n, StandardCharsets.UTF_8)).isEqualTo("hello");

            CompletableFuture<String> later = CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] b = new byte[64];
                    int got = reader.read(b, 0, b.length);
                    return new String(b, 0, got, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(100);
            assertThat(later).isNotDone(); // waiting in poll: the socket is non-blocking
            send("world");
            assertThat(later.get(5, TimeUnit.SECONDS)).isEqualTo("world");

            int ignored = (int) CLOSE.invokeExact(peer);
            peer = -1;
            assertThat(reader.read(buf, 0, buf.length)).isEqualTo(-1);
        }
    }

    @Test
    void closeFromAnotherThread_endsAWaitingRead_andReleasesTheDuplicate() throws Exception {
        assertThat(namesOfOurSocket()).hasSize(1);
        SocketReader reader = SocketReader.duplicate(ours);
        assertThat(namesOfOurSocket()).hasSize(2);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                reader.read(new byte[16], 0, 16);
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        });
        Thread.sleep(100);
        reader.close();
        assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessageContaining("reader was closed");
        t.join(5000);
        assertThat(namesOfOurSocket()).containsExactly(ours);
        assertThatThrownBy(() -> reader.read(new byte[1], 0, 1)).isInstanceOf(IOException.class);
        reader.close(); // twice is fine
    }

    private void send(String s) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(s, StandardCharsets.UTF_8);
            assertThat((long) WRITE.invokeExact(peer, data, (long) s.length())).isEqualTo(s.length());
        }
    }

    /** The descriptors of this process that name the socket {@code ours} names (itself and any duplicate). */
    private java.util.List<Integer> namesOfOurSocket() throws IOException {
        Path self = Path.of("/proc/self/fd");
        String socket = Files.readSymbolicLink(self.resolve(Integer.toString(ours))).toString();
        java.util.List<Integer> names = new java.util.ArrayList<>();
        try (var fds = Files.list(self)) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(socket)) {
                        names.add(Integer.parseInt(fd.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // closed meanwhile (the listing's own descriptor, another thread's)
                }
            }
        }
        return names;
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }
}
