package dev.skiff.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The few Linux syscalls the JDK does not offer, called through the FFM API.
 *
 * <p>Every call captures errno and throws an {@link IOException} that names the call, the path
 * and the error, so callers can wrap it with what they were doing.
 */
public final class Syscalls {
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8,
            MS_REMOUNT = 32, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_PRIVATE = 1 << 18,
            MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20;
    public static final int MNT_FORCE = 1, MNT_DETACH = 2;
    public static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;
    static final int EINTR = 4, EAGAIN = 11;
    public static final int EPERM = 1, ENOENT = 2, EINVAL = 22, EBUSY = 16, ENODATA = 61, EEXIST = 17, EOPNOTSUPP = 95;
    private static final int ERANGE = 34;
    /**
     * xattr calls try a small buffer first and the kernel's 64 KiB limit only on ERANGE: an arena's memory comes
     * zeroed, and clearing 64 KiB for every file (most have no xattrs, or a short list) cost more than the call.
     */
    private static final int SMALL_XATTR = 1024, XATTR_MAX = 65536;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final StructLayoutHolder ERRNO = new StructLayoutHolder();

    static final short POLLIN = 0x1;
    private static final short POLLHUP = 0x10;
    private static final short POLLNVAL = 0x20;
    private static final MethodHandle MOUNT = handle("mount", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle UMOUNT2 = handle("umount2", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle MKNOD = handle("mknod", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle LSETXATTR = handle("lsetxattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle LGETXATTR = handle("lgetxattr", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle LCHOWN = handle("lchown", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle LLISTXATTR = handle("llistxattr", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle UTIMENSAT = handle("utimensat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final int AT_FDCWD = -100;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final MethodHandle CHMOD = handle("chmod", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_PTR = LINKER.downcallHandle(LIBC.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    /** The inode flag ioctls of linux/fs.h (an int through a pointer), and chattr's T: FS_TOPDIR_FL. */
    private static final long FS_IOC_GETFLAGS = 0x80086601L, FS_IOC_SETFLAGS = 0x40086602L;
    public static final int FS_TOPDIR_FL = 0x00020000;
    private static final MethodHandle SYNCFS = handle("syncfs", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle SYNC_FILE_RANGE = handle("sync_file_range", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final int O_RDONLY = 0, O_CLOEXEC = 02000000, SYNC_FILE_RANGE_WRITE = 2;
    private static final MethodHandle DUP = handle("dup", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle KILL = handle("kill", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETPRIORITY = handle("setpriority", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Syscalls() {
    }

    /** mount(2). {@code source}, {@code fstype} and {@code data} may be null. */
    public static void mount(String source, Path target, String fstype, long flags, String data) throws IOException {
        call("mount", (fstype == null ? "" : fstype + " ") + target, (arena, errno) -> (int) MOUNT.invokeExact(errno,
                cstr(arena, source), cstr(arena, target.toString()), cstr(arena, fstype), flags, cstr(arena, data)));
    }

    /** umount2(2). */
    public static void umount(Path target, int flags) throws IOException {
        call("umount", target, (arena, errno) -> (int) UMOUNT2.invokeExact(errno, cstr(arena, target.toString()), flags));
    }

    /** mknod(2) of a character device; the overlay whiteout is {@code mknodChar(path, 0, 0, 0)}. */
    public static void mknodChar(Path path, int mode, int major, int minor) throws IOException {
        mknod(path, S_IFCHR | (mode & 07777), major, minor);
    }

    /** mknod(2): {@code mode} carries the file type ({@link #S_IFCHR}, {@link #S_IFBLK}, {@link #S_IFIFO}). */
    public static void mknod(Path path, int mode, int major, int minor) throws IOException {
        long dev = ((long) (major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((long) (minor & 0xffffff00L) << 12) | (minor & 0xffL);
        call("mknod", path, (arena, errno) -> (int) MKNOD.invokeExact(errno, cstr(arena, path.toString()), mode, dev));
    }

    /** The major number of a device number as stat(2) reports it in st_rdev. */
    public static int major(long rdev) {
        return (int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL));
    }

    /** The minor number of a device number as stat(2) reports it in st_rdev. */
    public static int minor(long rdev) {
        return (int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL));
    }

    /**
     * chmod(2) with the full mode, setuid, setgid and sticky bits included (the JDK's POSIX view drops them).
     * Follows symlinks, so never call it on one.
     */
    public static void chmod(Path path, int mode) throws IOException {
        call("chmod", path, (arena, errno) -> (int) CHMOD.invokeExact(errno, cstr(arena, path.toString()), mode & 07777));
    }

    /**
     * utimensat(2) setting only the modification time, following a symlink as Files.setLastModifiedTime does, in
     * one call: the JDK opens the file, reads its access time back to set it again, and closes it (four calls, and
     * an open through an overlay is not cheap).
     */
    public static void setModifiedTime(Path path, java.nio.file.attribute.FileTime mtime) throws IOException {
        java.time.Instant t = mtime.toInstant();
        call("utimensat", path, (arena, errno) -> {
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4); // two struct timespec: atime, mtime
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, 0);
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, UTIME_OMIT);
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, t.getEpochSecond());
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, t.getNano());
            return (int) UTIMENSAT.invokeExact(errno, AT_FDCWD, cstr(arena, path.toString()), times, 0);
        });
    }

    /** llistxattr(2): the names of a path's extended attributes, without following a symlink. */
    public static java.util.List<String> llistxattr(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO.layout);
            MemorySegment file = cstr(arena, path.toString());
            MemorySegment buf = arena.allocate(SMALL_XATTR);
            long n = (long) LLISTXATTR.invokeExact(state, file, buf, (long) SMALL_XATTR);
            if (n < 0 && errno(state) == ERANGE) {
                buf = arena.allocate(XATTR_MAX);
                n = (long) LLISTXATTR.invokeExact(state, file, buf, (long) XATTR_MAX);
            }
            if (n < 0) {
                int errno = errno(state);
                if (errno == EOPNOTSUPP) { // the filesystem has no xattrs, so there are none
                    return java.util.List.of();
                }
                throw error("listxattr " + path, errno);
            }
            if (n == 0) {
                return java.util.List.of();
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            byte[] raw = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    if (i > start) {
                        names.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
            return names;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** lsetxattr(2): sets an extended attribute without following a symlink. */
    public static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        call("setxattr " + name + " on", path, (arena, errno) -> {
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            return (int) LSETXATTR.invokeExact(errno, cstr(arena, path.toString()), cstr(arena, name), v,
                    (long) value.length, 0);
        });
    }

    /** lgetxattr(2): the value, or null when the attribute is absent. */
    public static byte[] lgetxattr(Path path, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO.layout);
            MemorySegment file = cstr(arena, path.toString());
            MemorySegment attr = cstr(arena, name);
            MemorySegment buf = arena.allocate(SMALL_XATTR);
            long n = (long) LGETXATTR.invokeExact(state, file, attr, buf, (long) SMALL_XATTR);
            if (n < 0 && errno(state) == ERANGE) {
                buf = arena.allocate(XATTR_MAX);
                n = (long) LGETXATTR.invokeExact(state, file, attr, buf, (long) XATTR_MAX);
            }
            if (n < 0) {
                int errno = errno(state);
                if (errno == ENODATA) {
                    return null;
                }
                throw error("getxattr " + name + " on " + path, errno);
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** lchown(2): changes the owner of a path without following a symlink. */
    public static void lchown(Path path, int uid, int gid) throws IOException {
        call("chown", path, (arena, errno) -> (int) LCHOWN.invokeExact(errno, cstr(arena, path.toString()), uid, gid));
    }

    /**
     * syncfs(2): flushes the whole filesystem holding {@code path} to disk, once, instead of an fsync per
     * file (for trees such as a freshly unpacked layer).
     */
    public static void syncfs(Path path) throws IOException {
        int fd = openReadOnly(path);
        try {
            call("syncfs", path, (arena, errno) -> (int) SYNCFS.invokeExact(errno, fd));
        } finally {
            close(fd);
        }
    }

    /** The inode flags (chattr's, FS_IOC_GETFLAGS) of {@code path}. */
    public static int inodeFlags(Path path) throws IOException {
        int fd = openReadOnly(path);
        try {
            return inodeFlags(fd, path);
        } finally {
            close(fd);
        }
    }

    /**
     * Adds inode flags (chattr's, e.g. {@link #FS_TOPDIR_FL}) to {@code path}. A filesystem without such flags
     * fails with ENOTTY or EOPNOTSUPP.
     */
    public static void addInodeFlags(Path path, int flags) throws IOException {
        int fd = openReadOnly(path);
        try (Arena arena = Arena.ofConfined()) {
            int now = inodeFlags(fd, path);
            if ((now & flags) != flags) {
                MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
                value.set(ValueLayout.JAVA_INT, 0, now | flags);
                call("ioctl FS_IOC_SETFLAGS", path, (a, errno) -> (int) IOCTL_PTR.invokeExact(errno, fd, FS_IOC_SETFLAGS, value));
            }
        } finally {
            close(fd);
        }
    }

    private static int inodeFlags(int fd, Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            call("ioctl FS_IOC_GETFLAGS", path, (a, errno) -> (int) IOCTL_PTR.invokeExact(errno, fd, FS_IOC_GETFLAGS, value));
            return value.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** open(2) read-only: a descriptor of one's own on a file, e.g. one a FileChannel writes. */
    public static int openReadOnly(Path path) throws IOException {
        return (int) call("open", path,
                (arena, errno) -> (int) OPEN.invokeExact(errno, cstr(arena, path.toString()), O_RDONLY | O_CLOEXEC, 0));
    }

    /** close(2) of a descriptor from {@link #openReadOnly}. */
    public static void close(int fd) throws IOException {
        call("close", null, (arena, errno) -> (int) CLOSE.invokeExact(errno, fd));
    }

    /**
     * sync_file_range(2) with SYNC_FILE_RANGE_WRITE: starts writing back the dirty pages of a file's range and
     * returns without waiting for them (nor committing the journal, as fdatasync would): a head start for the fsync
     * that makes the file durable. Works through any descriptor of the file, the page cache being the inode's.
     */
    public static void startWriteback(int fd, long offset, long length) throws IOException {
        call("sync_file_range", null,
                (arena, errno) -> (int) SYNC_FILE_RANGE.invokeExact(errno, fd, offset, length, SYNC_FILE_RANGE_WRITE));
    }

    /**
     * Whether the socket {@code fd} was hung up on (poll(2) says POLLHUP without waiting): for a unix socket, its
     * peer closed it; a peer that only shut down its sending side (a client's stdin EOF) gives POLLRDHUP alone.
     */
    public static boolean hungUp(int fd) throws IOException {
        return (poll(fd, (short) 0, 0) & (POLLHUP | POLLNVAL)) != 0; // hang-ups are reported whatever is asked for
    }

    /**
     * poll(2) of one descriptor for {@code events}, waiting up to {@code timeoutMs}: the events that came (with
     * POLLHUP, POLLERR or POLLNVAL, which come unasked), or 0 when none did in time or a signal cut the wait short.
     */
    static short poll(int fd, short events, int timeoutMs) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, events);
            MemorySegment state = arena.allocate(ERRNO.layout);
            int rc = (int) POLL.invokeExact(state, pollfd, 1L, timeoutMs);
            if (rc < 0) {
                if (errno(state) == EINTR) {
                    return 0;
                }
                throw error("poll " + fd, errno(state));
            }
            return rc == 0 ? 0 : pollfd.get(ValueLayout.JAVA_SHORT, 6);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** dup(2): a second descriptor of the same open file (a socket stays open until both are closed). */
    static int dup(int fd) throws IOException {
        return (int) call("dup", fd, (arena, errno) -> (int) DUP.invokeExact(errno, fd));
    }

    /** kill(2); returns false when the process does not exist (ESRCH). Signal 0 probes liveness. */
    public static boolean kill(int pid, int signal) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO.layout);
            int rc = (int) KILL.invokeExact(state, pid, signal);
            if (rc != 0) {
                int errno = errno(state);
                if (errno == 3) {
                    return false;
                }
                throw error("kill " + pid, errno);
            }
            return true;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Sets the nice value of the calling thread only (Linux keeps one per thread: setpriority(PRIO_PROCESS, 0)
     * names the caller's own task). For background work that should give way to everything else on a busy host.
     */
    public static void niceCurrentThread(int nice) throws IOException {
        int prioProcess = 0;
        call("setpriority", nice, (arena, state) -> (int) SETPRIORITY.invokeExact(state, prioProcess, 0, nice));
    }

    /**
     * Whether this kernel serves the x32 ABI: its getpid, made with the x32 bit set, answers instead of failing
     * with ENOSYS. Most kernels are built without it or boot with it off (syscall.x32=n); then no process can
     * make an x32 system call, and a seccomp filter need not cover that ABI. False off x86_64.
     */
    public static boolean x32Abi() {
        if (!"amd64".equals(System.getProperty("os.arch"))) {
            return false;
        }
        try {
            MethodHandle syscall = LINKER.downcallHandle(LIBC.find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
            long x32Bit = 0x40000000L, getpid = 39;
            return (long) syscall.invokeExact(x32Bit | getpid) > 0;
        } catch (Throwable t) {
            return true; // unknown: assume the ABI is there, as a filter covering it is never wrong
        }
    }

    /** The message strerror(3) gives for an errno. */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, Linker.Option.captureCallState("errno"));
    }

    private static MemorySegment cstr(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s, StandardCharsets.UTF_8);
    }

    /** One libc call, given a confined arena for its arguments and the segment errno is captured in. */
    @FunctionalInterface
    private interface Call {
        long invoke(Arena arena, MemorySegment errno) throws Throwable;
    }

    /**
     * Makes {@code call} and returns its result (a descriptor, a length, 0); a negative one throws a
     * SyscallException "{@code op} {@code subject}: strerror(errno)" ({@code subject} is only turned into text then).
     */
    private static long call(String op, Object subject, Call call) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO.layout);
            long rc = call.invoke(arena, state);
            if (rc < 0) {
                throw error(subject == null ? op : op + " " + subject, errno(state));
            }
            return rc;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.errno.get(state, 0L);
    }

    static IOException error(String what, int errno) {
        return new SyscallException(what + ": " + strerror(errno), errno);
    }

    /** Holds the captured-state layout; a class of its own so the static init order stays obvious. */
    static final class StructLayoutHolder {
        final java.lang.foreign.StructLayout layout = Linker.Option.captureStateLayout();
        final VarHandle errno = layout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    }
}
