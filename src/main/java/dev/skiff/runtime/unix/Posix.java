package dev.skiff.runtime.unix;

import dev.skiff.sys.SyscallException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The libc calls the runtime driver needs that neither the JDK nor sys.Syscalls offer: a SOCK_SEQPACKET
 * unix socket (conmon's attach socket; the JDK only opens stream sockets there), a SOCK_DGRAM one (journald's and
 * syslog's sockets) and mkfifo.
 * Every call captures errno and reports it as a {@link SyscallException}.
 */
public final class Posix {
    public static final int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000, O_CLOEXEC = 02000000, O_DIRECTORY = 0200000;
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    public static final int EINTR = 4, EPIPE = 32, ECONNRESET = 104;
    private static final int MSG_NOSIGNAL = 0x4000, MSG_DONTWAIT = 0x40, EAGAIN = 11;

    private static final Linker LINKER = Linker.nativeLinker();
    /** The errno capture layout every call here (and in Pty) allocates. */
    static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout I = ValueLayout.JAVA_INT, L = ValueLayout.JAVA_LONG;
    private static final ValueLayout A = ValueLayout.ADDRESS;
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle CONNECT = handle("connect", FunctionDescriptor.of(I, I, A, I));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(L, I, A, L, I));
    private static final MethodHandle SEND = handle("send", FunctionDescriptor.of(L, I, A, L, I));
    private static final MethodHandle SHUTDOWN = handle("shutdown", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(I, I));
    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(I, A, I, I));
    private static final MethodHandle MKFIFO = handle("mkfifo", FunctionDescriptor.of(I, A, I));
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(I, I, L, A));
    private static final long SIOCOUTQ = 0x5411;
    private static final MethodHandle MEMFD_CREATE = handle("memfd_create", FunctionDescriptor.of(I, A, I));
    private static final MethodHandle FCNTL_INT = LINKER.downcallHandle(LINKER.defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(I, I, I, I), Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_EXEC = 0x10, EINVAL = 22;
    private static final int F_ADD_SEALS = 1033, F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;

    private Posix() {
    }

    /** Opens a SEQPACKET socket connected to {@code path} (which must fit sun_path's 108 bytes). */
    public static int connectSeqpacket(String path) throws IOException {
        return connectUnix(path, SOCK_SEQPACKET);
    }

    /** Opens an AF_UNIX socket of {@code type} (SOCK_DGRAM, SOCK_SEQPACKET) connected to {@code path}. */
    public static int connectUnix(String path, int type) throws IOException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) {
            throw new IOException("socket path too long for AF_UNIX: " + path);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            int fd = (int) SOCKET.invokeExact(st, AF_UNIX, type | SOCK_CLOEXEC, 0);
            check(fd, st, "socket");
            MemorySegment addr = arena.allocate(110);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            int rc = (int) CONNECT.invokeExact(st, fd, addr, 110);
            if (rc < 0) {
                int errno = errno(st);
                close(fd);
                throw error("connect " + path, errno);
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Receives one packet into {@code buf}; 0 at EOF. Blocks the calling (platform) thread. */
    /**
     * A reusable receive buffer in native memory for one reading thread: a bulk stream of packets then costs
     * one native call and one copy per packet, not a native allocation too.
     */
    public static final class Receiver implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment state = arena.allocate(STATE);
        private final MemorySegment segment;

        public Receiver(int size) {
            this.segment = arena.allocate(size);
        }

        /** recv(2) into {@code buf} (at most its length); 0 at EOF or reset. */
        public int recv(int fd, byte[] buf) throws IOException {
            long max = Math.min(buf.length, segment.byteSize());
            try {
                while (true) {
                    long n = (long) RECV.invokeExact(state, fd, segment, max, 0);
                    if (n >= 0) {
                        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) n);
                        return (int) n;
                    }
                    int errno = errno(state);
                    if (errno == ECONNRESET) {
                        return 0;
                    }
                    if (errno != EINTR) {
                        throw error("recv", errno);
                    }
                }
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /** One recv(2) into {@code buf}; 0 at EOF or reset. For a stream of packets use a {@link Receiver}. */
    public static int recv(int fd, byte[] buf) throws IOException {
        try (Receiver receiver = new Receiver(buf.length)) {
            return receiver.recv(fd, buf);
        }
    }

    /** Sends {@code len} bytes as one packet. */
    public static void send(int fd, byte[] data, int off, int len) throws IOException {
        send(fd, data, off, len, false);
    }

    /**
     * Sends {@code len} bytes as one packet without ever blocking in the kernel (MSG_DONTWAIT): while the socket is
     * full (a slow journald), the caller sleeps and tries again, 1 ms at first, up to 50 ms between tries. A virtual
     * thread parks meanwhile; a blocking send would hold its carrier, which every request shares.
     */
    public static void sendParking(int fd, byte[] data, int off, int len) throws IOException {
        send(fd, data, off, len, true);
    }

    private static void send(int fd, byte[] data, int off, int len, boolean parking) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            MemorySegment seg = arena.allocate(Math.max(1, len));
            MemorySegment.copy(data, off, seg, ValueLayout.JAVA_BYTE, 0, len);
            int flags = parking ? MSG_NOSIGNAL | MSG_DONTWAIT : MSG_NOSIGNAL;
            long sent = 0;
            long pauseMillis = 1;
            while (sent < len) {
                long n = (long) SEND.invokeExact(st, fd, seg.asSlice(sent), len - sent, flags);
                if (n >= 0) {
                    sent += n;
                    continue;
                }
                int errno = errno(st);
                if (parking && errno == EAGAIN) {
                    Thread.sleep(pauseMillis);
                    pauseMillis = Math.min(50, pauseMillis * 2);
                } else if (errno != EINTR) {
                    throw error("send", errno);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the socket was full");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Bytes written to the stream socket {@code fd} that its peer has not read yet (SIOCOUTQ; for TCP: not yet
     * acknowledged); -1 when the kernel cannot say.
     */
    public static int unreadByPeer(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            int rc = (int) IOCTL.invokeExact(st, fd, SIOCOUTQ, n);
            return rc < 0 ? -1 : n.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void shutdown(int fd, int how) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) SHUTDOWN.invokeExact(arena.allocate(STATE), fd, how);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(arena.allocate(STATE), fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** An O_PATH descriptor of a directory: lets a long path be reached as /proc/self/fd/N/name. */
    public static int openPath(String dir) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            int fd = (int) OPEN.invokeExact(st, arena.allocateFrom(dir, StandardCharsets.UTF_8),
                    O_PATH | O_CLOEXEC | O_DIRECTORY, 0);
            check(fd, st, "open " + dir);
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** open(2) read-only with {@code flags} added, for namespace files and the like. */
    public static int open(String path, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            int fd = (int) OPEN.invokeExact(st, arena.allocateFrom(path, StandardCharsets.UTF_8), flags, 0);
            check(fd, st, "open " + path);
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void mkfifo(String path, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            int rc = (int) MKFIFO.invokeExact(st, arena.allocateFrom(path, StandardCharsets.UTF_8), mode);
            check(rc, st, "mkfifo " + path);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A sealed in-memory copy of {@code content} (memfd_create), executable through /proc/PID/fd/N and never
     * writable again, not even through a process's /proc/PID/exe (runc runs from such a copy against
     * CVE-2019-5736). Close-on-exec: it stays this process's own.
     */
    public static int sealedMemfd(String name, byte[] content) throws IOException {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            MemorySegment n = arena.allocateFrom(name, StandardCharsets.UTF_8);
            // MFD_EXEC says so outright where the kernel knows the flag (6.3+: vm.memfd_noexec)
            fd = (int) MEMFD_CREATE.invokeExact(st, n, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
            if (fd < 0 && errno(st) == EINVAL) {
                fd = (int) MEMFD_CREATE.invokeExact(st, n, MFD_CLOEXEC | MFD_ALLOW_SEALING);
            }
            check(fd, st, "memfd_create " + name);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        try {
            try (var out = new java.io.FileOutputStream("/proc/self/fd/" + fd)) {
                out.write(content);
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(STATE);
                int rc = (int) FCNTL_INT.invokeExact(st, fd, F_ADD_SEALS,
                        F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
                check(rc, st, "seal memfd " + name);
            }
            return fd;
        } catch (IOException e) {
            close(fd);
            throw e;
        } catch (Throwable t) {
            close(fd);
            throw new IllegalStateException(t);
        }
    }

    /** A libc downcall that captures errno. */
    static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    static void check(int rc, MemorySegment st, String what) throws IOException {
        if (rc < 0) {
            throw error(what, errno(st));
        }
    }

    static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }

    static IOException error(String what, int errno) {
        return new SyscallException(what + ": " + dev.skiff.sys.Syscalls.strerror(errno), errno);
    }
}
