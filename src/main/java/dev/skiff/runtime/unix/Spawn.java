package dev.skiff.runtime.unix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Starts a program with glibc's posix_spawn(3) (a vfork-style clone and exec), handing it exactly the descriptors
 * it is given as 0, 1, 2, 3...; every other descriptor of the daemon is closed in the child, every signal is back
 * to its default and none is blocked.
 *
 * <p>Why not ProcessBuilder: the JDK spawns through jspawnhelper, an exec of its own before the program's (~1 ms
 * and a process more per spawn), and hands a child only fds 0-2, so conmon's sync pipe (fd 3) needed a shell
 * between us and conmon, and a named FIFO, on every container start.
 *
 * <p>The caller reaps what it spawns: {@link #waitFor} blocks, as waitpid does, and on a virtual thread it holds
 * its carrier; {@link SpawnedProcess} waits on a platform thread instead.
 */
public final class Spawn {
    /** What a child's descriptor is: one of ours (dup2'd into place) or a file the child opens. */
    public sealed interface Stdio {
        record Fd(int fd) implements Stdio {
        }

        record File(String path, int flags, int mode) implements Stdio {
        }

        Stdio DEV_NULL = new File("/dev/null", O_RDWR, 0);

        /** {@code path} opened to append (and created 0644), as ProcessBuilder.Redirect.appendTo. */
        static Stdio append(String path) {
            return new File(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        }
    }

    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_APPEND = 02000;
    private static final int POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSIGDEF = 0x04;
    /** glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on x86-64 and arm64. */
    private static final long ACTIONS_SIZE = 256, ATTR_SIZE = 512, SIGSET_SIZE = 128;
    private static final int WNOHANG = 1, EINTR = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final java.lang.foreign.AddressLayout A = ValueLayout.ADDRESS;
    private static final MethodHandle SPAWN = plain("posix_spawn", FunctionDescriptor.of(I, A, A, A, A, A, A));
    private static final MethodHandle SPAWNP = plain("posix_spawnp", FunctionDescriptor.of(I, A, A, A, A, A, A));
    private static final MethodHandle ACTIONS_INIT = plain("posix_spawn_file_actions_init", FunctionDescriptor.of(I, A));
    private static final MethodHandle ACTIONS_DESTROY = plain("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(I, A));
    private static final MethodHandle ADD_DUP2 = plain("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(I, A, I, I));
    private static final MethodHandle ADD_OPEN = plain("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(I, A, I, A, I, I));
    /** glibc 2.34 and later; before, each open descriptor is closed by name ({@link #closeOthers}). */
    private static final MethodHandle ADD_CLOSEFROM = optional("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(I, A, I));
    private static final MethodHandle ADD_CLOSE = plain("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(I, A, I));
    /** Whether descriptors are closed one by one (no closefrom here; tests set it to cover that path). */
    static volatile boolean closeByName = ADD_CLOSEFROM == null;
    private static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", FunctionDescriptor.of(I, A));
    private static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy", FunctionDescriptor.of(I, A));
    private static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(I, A, ValueLayout.JAVA_SHORT));
    private static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask", FunctionDescriptor.of(I, A, A));
    private static final MethodHandle ATTR_SETSIGDEFAULT = plain("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(I, A, A));
    private static final MethodHandle SIGEMPTYSET = plain("sigemptyset", FunctionDescriptor.of(I, A));
    private static final MethodHandle PIPE2 = Posix.handle("pipe2", FunctionDescriptor.of(I, A, I));
    private static final MethodHandle WAITPID = Posix.handle("waitpid", FunctionDescriptor.of(I, I, A, I));
    private static final MethodHandle WAITID = Posix.handle("waitid", FunctionDescriptor.of(I, I, I, A, I));
    private static final int P_PID = 1, WEXITED = 4, WNOWAIT = 0x01000000, SIGINFO_SIZE = 128;

    private Spawn() {
    }

    /**
     * Starts {@code path} (a bare name is looked for on the daemon's PATH) with {@code argv} (argv[0] first) and exactly {@code env}; the child's
     * descriptor i is {@code stdio.get(i)}. Returns its PID; the caller must reap it ({@link #waitFor}).
     */
    public static int start(String path, List<String> argv, Map<String, String> env, List<Stdio> stdio)
            throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 16);
            check((int) ACTIONS_INIT.invokeExact(actions), "posix_spawn_file_actions_init");
            check((int) ATTR_INIT.invokeExact(attr), "posix_spawnattr_init");
            try {
                place(arena, actions, stdio);
                MemorySegment none = arena.allocate(SIGSET_SIZE, 8);
                MemorySegment all = arena.allocate(SIGSET_SIZE, 8);
                check((int) SIGEMPTYSET.invokeExact(none), "sigemptyset");
                // every bit, not sigfillset's set: that leaves out glibc's own 32 and 33, which the JVM ignores, and
                // the child would inherit them ignored (posix_spawn resets whatever its set names)
                all.fill((byte) 0xff);
                check((int) ATTR_SETSIGMASK.invokeExact(attr, none), "posix_spawnattr_setsigmask");
                check((int) ATTR_SETSIGDEFAULT.invokeExact(attr, all), "posix_spawnattr_setsigdefault");
                check((int) ATTR_SETFLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)),
                        "posix_spawnattr_setflags");
                MemorySegment pid = arena.allocate(I);
                MethodHandle spawn = path.contains("/") ? SPAWN : SPAWNP;
                int rc = (int) spawn.invokeExact(pid, arena.allocateFrom(path, StandardCharsets.UTF_8), actions, attr,
                        strings(arena, argv), strings(arena, env.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
                if (rc != 0) {
                    throw Posix.error("cannot start " + path, rc);
                }
                return pid.get(I, 0);
            } finally {
                int ignored = (int) ACTIONS_DESTROY.invokeExact(actions);
                ignored = (int) ATTR_DESTROY.invokeExact(attr);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The child's descriptors in two steps, so that no source is overwritten before it is copied (a pipe of ours
     * may well be fd 1 or 3 of the child's numbering): each source first to a number above every source, then down
     * into place; then everything from stdio.size() up is closed.
     */
    private static void place(Arena arena, MemorySegment actions, List<Stdio> stdio) throws Throwable {
        int high = stdio.size();
        for (Stdio s : stdio) {
            if (s instanceof Stdio.Fd(int fd)) {
                high = Math.max(high, fd + 1);
            }
        }
        for (int i = 0; i < stdio.size(); i++) {
            if (stdio.get(i) instanceof Stdio.Fd(int fd)) {
                check((int) ADD_DUP2.invokeExact(actions, fd, high + i), "posix_spawn_file_actions_adddup2");
            }
        }
        for (int i = 0; i < stdio.size(); i++) {
            switch (stdio.get(i)) {
                case Stdio.Fd f -> check((int) ADD_DUP2.invokeExact(actions, high + i, i),
                        "posix_spawn_file_actions_adddup2");
                case Stdio.File(String path, int flags, int mode) -> check((int) ADD_OPEN.invokeExact(actions, i,
                        arena.allocateFrom(path, StandardCharsets.UTF_8), flags, mode), "posix_spawn_file_actions_addopen");
            }
        }
        if (!closeByName) {
            check((int) ADD_CLOSEFROM.invokeExact(actions, stdio.size()), "posix_spawn_file_actions_addclosefrom_np");
        } else {
            closeOthers(actions, stdio.size(), high);
        }
    }

    /**
     * Without closefrom (glibc before 2.34): closes by name every descriptor open now from {@code from} up, and the
     * staging copies at {@code high}.. (a descriptor another thread opens meanwhile without close-on-exec could still
     * reach the child; the JDK's and ours are opened close-on-exec).
     */
    private static void closeOthers(MemorySegment actions, int from, int high) throws Throwable {
        java.util.Set<Integer> fds = new java.util.TreeSet<>();
        try (var dir = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/fd"))) {
            for (var p : dir) {
                fds.add(Integer.parseInt(p.getFileName().toString()));
            }
        }
        for (int i = 0; i < from; i++) {
            fds.add(high + i);
        }
        for (int fd : fds) {
            if (fd >= from) {
                // closing one the child does not have is EBADF, which posix_spawn ignores for close actions
                check((int) ADD_CLOSE.invokeExact(actions, fd), "posix_spawn_file_actions_addclose");
            }
        }
    }

    /** A pipe, both ends close-on-exec: {read, write}. */
    public static int[] pipe() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.STATE);
            MemorySegment fds = arena.allocate(I, 2);
            Posix.check((int) PIPE2.invokeExact(st, fds, Posix.O_CLOEXEC), st, "pipe2");
            return new int[] {fds.getAtIndex(I, 0), fds.getAtIndex(I, 1)};
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reaps {@code pid}, blocking until it exits: its exit code, or 128 + the signal that ended it. */
    public static int waitFor(int pid) throws IOException {
        return waitpid(pid, 0);
    }

    /** Blocks until {@code pid} has exited, leaving it to be reaped (its PID stays taken until then). */
    public static void awaitExit(int pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.STATE);
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            while ((int) WAITID.invokeExact(st, P_PID, pid, info, WEXITED | WNOWAIT) < 0) {
                int errno = Posix.errno(st);
                if (errno != EINTR) {
                    throw Posix.error("waitid " + pid, errno);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reaps {@code pid} if it has exited: its status as {@link #waitFor}'s, or -1 while it runs. */
    public static int poll(int pid) throws IOException {
        return waitpid(pid, WNOHANG);
    }

    private static int waitpid(int pid, int options) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.STATE);
            MemorySegment status = arena.allocate(I);
            while (true) {
                int rc = (int) WAITPID.invokeExact(st, pid, status, options);
                if (rc == 0) {
                    return -1;
                }
                if (rc > 0) {
                    return decode(status.get(I, 0));
                }
                int errno = Posix.errno(st);
                if (errno != EINTR) {
                    throw Posix.error("waitpid " + pid, errno);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A wait status as a shell reads it. */
    static int decode(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(A, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(A, i, arena.allocateFrom(values.get(i), StandardCharsets.UTF_8));
        }
        array.setAtIndex(A, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(int rc, String what) throws IOException {
        if (rc != 0) {
            throw Posix.error(what, rc);
        }
    }

    /** A call that returns its error number instead of setting errno (the posix_spawn family). */
    private static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }

    private static MethodHandle optional(String name, FunctionDescriptor fd) {
        return LINKER.defaultLookup().find(name).map(s -> LINKER.downcallHandle(s, fd)).orElse(null);
    }
}
