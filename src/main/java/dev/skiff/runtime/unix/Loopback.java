package dev.skiff.runtime.unix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Brings up "lo" in another process's network namespace, from the daemon itself: setns(2) on a short-lived
 * platform thread (a namespace switch is per thread), then SIOCGIFFLAGS/SIOCSIFFLAGS. This replaces a
 * createContainer hook running iproute2 inside the container, which cost a process per start and counted
 * against the container's pids limit (so `--pids-limit 5` could not start).
 */
public final class Loopback {
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final MethodHandle SETNS = Posix.handle("setns", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle IOCTL = Posix.handle("ioctl", FunctionDescriptor.of(I, I, L, ValueLayout.ADDRESS));
    private static final MethodHandle SOCKET = Posix.handle("socket", FunctionDescriptor.of(I, I, I, I));
    private static final int CLONE_NEWNET = 0x40000000, AF_INET = 2, SOCK_DGRAM = 2;
    private static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    private static final int IFF_UP = 0x1, IFREQ_SIZE = 40, IFR_FLAGS_OFFSET = 16;

    private Loopback() {
    }

    /** Sets "lo" up in the network namespace of {@code pid}. */
    public static void up(int pid) throws IOException {
        IOException[] failure = new IOException[1];
        // A fresh platform thread: it enters the namespace, and even if switching back failed it ends right after.
        Thread t = Thread.ofPlatform().name("netns-lo-" + pid).start(() -> {
            try {
                upOnThisThread(pid);
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while bringing up loopback of " + pid, e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void upOnThisThread(int pid) throws IOException {
        int own = Posix.open("/proc/thread-self/ns/net", Posix.O_CLOEXEC);
        int target = -1;
        try (Arena arena = Arena.ofConfined()) {
            target = Posix.open("/proc/" + pid + "/ns/net", Posix.O_CLOEXEC);
            MemorySegment st = arena.allocate(Posix.STATE);
            Posix.check((int) SETNS.invokeExact(st, target, CLONE_NEWNET), st, "setns into the netns of " + pid);
            try {
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
            } finally {
                int back = (int) SETNS.invokeExact(st, own, CLONE_NEWNET);
                if (back < 0) {
                    // the thread ends right away, so nothing else ever runs in the container's namespace
                    org.slf4j.LoggerFactory.getLogger(Loopback.class).warn("could not return to the host netns");
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            if (target >= 0) {
                Posix.close(target);
            }
            Posix.close(own);
        }
    }
}
