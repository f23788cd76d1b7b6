package dev.skiff.runtime.unix;

import dev.skiff.sys.SyscallException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * A pseudo-terminal pair of our own (posix_openpt), and read/write/TIOCSWINSZ on its master: the JDK has
 * no terminal API. Used to give a foreground "runc exec -t" a real terminal as its stdio, so runc can
 * forward our window size to the container's terminal (it reads its own stdin's size on SIGWINCH).
 */
public final class Pty {
    private static final int O_RDWR = 2, O_NOCTTY = 0400, O_CLOEXEC = 02000000, EINTR = 4, EIO = 5;
    private static final long TIOCSWINSZ = 0x5414;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout A = ValueLayout.ADDRESS;
    private static final MethodHandle OPENPT = handle("posix_openpt", FunctionDescriptor.of(I, I));
    private static final MethodHandle GRANTPT = handle("grantpt", FunctionDescriptor.of(I, I));
    private static final MethodHandle UNLOCKPT = handle("unlockpt", FunctionDescriptor.of(I, I));
    private static final MethodHandle PTSNAME = handle("ptsname_r", FunctionDescriptor.of(I, I, A, L));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(I, I, L, A));

    private Pty() {
    }

    /** A new pty: the master's fd and the slave's path (/dev/pts/N), unlocked and ready to open. */
    public record Pair(int master, String slave) {
    }

    public static Pair open() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            int master = (int) OPENPT.invokeExact(st, O_RDWR | O_NOCTTY | O_CLOEXEC);
            check(master, st, "posix_openpt");
            MemorySegment name = arena.allocate(128);
            int rc = (int) GRANTPT.invokeExact(st, master);
            if (rc == 0) {
                rc = (int) UNLOCKPT.invokeExact(st, master);
            }
            if (rc == 0) {
                rc = (int) PTSNAME.invokeExact(st, master, name, 128L);
                if (rc > 0) { // ptsname_r returns the error number instead of setting errno
                    Posix.close(master);
                    throw error("ptsname", rc);
                }
            }
            if (rc < 0) {
                int errno = errno(st);
                Posix.close(master);
                throw error("open terminal", errno);
            }
            return new Pair(master, name.getString(0));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reads from the pty master; 0 at EOF (EIO: every slave end closed, the process is gone). */
    public static int read(int fd, byte[] buf) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            MemorySegment seg = arena.allocate(buf.length);
            while (true) {
                long n = (long) READ.invokeExact(st, fd, seg, (long) buf.length);
                if (n >= 0) {
                    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) n);
                    return (int) n;
                }
                int errno = errno(st);
                if (errno == EIO) {
                    return 0;
                }
                if (errno != EINTR) {
                    throw error("read terminal", errno);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void write(int fd, byte[] data, int off, int len) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            MemorySegment seg = arena.allocate(Math.max(1, len));
            MemorySegment.copy(data, off, seg, ValueLayout.JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                long n = (long) WRITE.invokeExact(st, fd, seg.asSlice(done), len - done);
                if (n < 0) {
                    if (errno(st) == EINTR) {
                        continue;
                    }
                    throw error("write terminal", errno(st));
                }
                done += n;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** TIOCSWINSZ: sets the terminal's rows and columns (the process gets SIGWINCH). */
    public static void resize(int fd, int height, int width) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            MemorySegment ws = arena.allocate(8);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) height);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) width);
            int rc = (int) IOCTL.invokeExact(st, fd, TIOCSWINSZ, ws);
            check(rc, st, "resize terminal");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    private static void check(int rc, MemorySegment st, String what) throws IOException {
        if (rc < 0) {
            throw error(what, errno(st));
        }
    }

    private static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }

    private static IOException error(String what, int errno) {
        return new SyscallException(what + ": " + dev.skiff.sys.Syscalls.strerror(errno), errno);
    }
}
