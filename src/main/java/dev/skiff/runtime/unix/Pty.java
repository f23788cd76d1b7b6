package dev.skiff.runtime.unix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A pseudo-terminal pair of our own (posix_openpt), and read/write/TIOCSWINSZ on its master: the JDK has
 * no terminal API. Used to give a foreground "runc exec -t" a real terminal as its stdio, so runc can
 * forward our window size to the container's terminal (it reads its own stdin's size on SIGWINCH).
 */
public final class Pty {
    private static final int O_RDWR = 2, O_NOCTTY = 0400, O_CLOEXEC = 02000000, EINTR = 4, EIO = 5;
    private static final long TIOCSWINSZ = 0x5414;

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout A = ValueLayout.ADDRESS;
    private static final MethodHandle OPENPT = Posix.handle("posix_openpt", FunctionDescriptor.of(I, I));
    private static final MethodHandle GRANTPT = Posix.handle("grantpt", FunctionDescriptor.of(I, I));
    private static final MethodHandle UNLOCKPT = Posix.handle("unlockpt", FunctionDescriptor.of(I, I));
    private static final MethodHandle PTSNAME = Posix.handle("ptsname_r", FunctionDescriptor.of(I, I, A, L));
    private static final MethodHandle READ = Posix.handle("read", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle WRITE = Posix.handle("write", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle IOCTL = Posix.handle("ioctl", FunctionDescriptor.of(I, I, L, A));

    private Pty() {
    }

    /** A new pty: the master's fd and the slave's path (/dev/pts/N), unlocked and ready to open. */
    public record Pair(int master, String slave) {
    }

    public static Pair open() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.STATE);
            int master = (int) OPENPT.invokeExact(st, O_RDWR | O_NOCTTY | O_CLOEXEC);
            Posix.check(master, st, "posix_openpt");
            MemorySegment name = arena.allocate(128);
            int rc = (int) GRANTPT.invokeExact(st, master);
            if (rc == 0) {
                rc = (int) UNLOCKPT.invokeExact(st, master);
            }
            if (rc == 0) {
                rc = (int) PTSNAME.invokeExact(st, master, name, 128L);
                if (rc > 0) { // ptsname_r returns the error number instead of setting errno
                    Posix.close(master);
                    throw Posix.error("ptsname", rc);
                }
            }
            if (rc < 0) {
                int errno = Posix.errno(st);
                Posix.close(master);
                throw Posix.error("open terminal", errno);
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
            MemorySegment st = arena.allocate(Posix.STATE);
            MemorySegment seg = arena.allocate(buf.length);
            while (true) {
                long n = (long) READ.invokeExact(st, fd, seg, (long) buf.length);
                if (n >= 0) {
                    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) n);
                    return (int) n;
                }
                int errno = Posix.errno(st);
                if (errno == EIO) {
                    return 0;
                }
                if (errno != EINTR) {
                    throw Posix.error("read terminal", errno);
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
            MemorySegment st = arena.allocate(Posix.STATE);
            MemorySegment seg = arena.allocate(Math.max(1, len));
            MemorySegment.copy(data, off, seg, ValueLayout.JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                long n = (long) WRITE.invokeExact(st, fd, seg.asSlice(done), len - done);
                if (n < 0) {
                    if (Posix.errno(st) == EINTR) {
                        continue;
                    }
                    throw Posix.error("write terminal", Posix.errno(st));
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
            MemorySegment st = arena.allocate(Posix.STATE);
            MemorySegment ws = arena.allocate(8);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) height);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) width);
            int rc = (int) IOCTL.invokeExact(st, fd, TIOCSWINSZ, ws);
            Posix.check(rc, st, "resize terminal");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
