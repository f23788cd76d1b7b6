package dev.skiff.runtime.unix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Brings up "lo" in a network namespace from the daemon itself: SIOCGIFFLAGS/SIOCSIFFLAGS on a socket made in
 * that namespace. For a container's own namespace ({@link #up(int)}) the calling is done on a short-lived
 * thread switched into it ({@link NetnsSwitch}); {@link NetNs#create} calls {@link #upHere()} on the thread that
 * made the namespace. This replaces a createContainer hook running iproute2 inside the container, which cost a
 * process per start and counted against the container's pids limit (so `--pids-limit 5` could not start).
 */
public final class Loopback {
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final MethodHandle IOCTL = Posix.handle("ioctl", FunctionDescriptor.of(I, I, L, ValueLayout.ADDRESS));
    private static final MethodHandle SOCKET = Posix.handle("socket", FunctionDescriptor.of(I, I, I, I));
    private static final int AF_INET = 2, SOCK_DGRAM = 2;
    private static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    private static final int IFF_UP = 0x1, IFREQ_SIZE = 40, IFR_FLAGS_OFFSET = 16;

    private Loopback() {
    }

    /** Sets "lo" up in the network namespace of {@code pid}. */
    public static void up(int pid) throws IOException {
        NetnsSwitch.inside(Path.of("/proc/" + pid + "/ns/net"), () -> {
            upHere();
            return null;
        });
    }

    /** Sets "lo" up in the calling thread's network namespace. */
    static void upHere() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.STATE);
            int sock = (int) SOCKET.invokeExact(st, AF_INET, SOCK_DGRAM | Posix.SOCK_CLOEXEC, 0);
            Posix.check(sock, st, "socket");
            try {
                MemorySegment ifr = arena.allocate(IFREQ_SIZE);
                byte[] name = "lo".getBytes(StandardCharsets.US_ASCII);
                MemorySegment.copy(name, 0, ifr, ValueLayout.JAVA_BYTE, 0, name.length);
                Posix.check((int) IOCTL.invokeExact(st, sock, SIOCGIFFLAGS, ifr), st, "SIOCGIFFLAGS lo");
                short flags = ifr.get(ValueLayout.JAVA_SHORT, IFR_FLAGS_OFFSET);
                ifr.set(ValueLayout.JAVA_SHORT, IFR_FLAGS_OFFSET, (short) (flags | IFF_UP));
                Posix.check((int) IOCTL.invokeExact(st, sock, SIOCSIFFLAGS, ifr), st, "SIOCSIFFLAGS lo up");
            } finally {
                Posix.close(sock);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
