package dev.skiff.runtime.unix;

import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Network namespaces kept as files (what `ip netns add` makes), made in-process: a short-lived platform thread
 * unshares a new network namespace, sets its loopback up, and bind-mounts /proc/thread-self/ns/net onto the
 * file, so the namespace outlives the thread. No process is spawned, which keeps a container start fast.
 */
public final class NetNs {
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout A = ValueLayout.ADDRESS;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final MethodHandle UNSHARE = Posix.handle("unshare", FunctionDescriptor.of(I, I));
    private static final MethodHandle MOUNT = Posix.handle("mount", FunctionDescriptor.of(I, A, A, A, L, A));
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 4096;

    private NetNs() {
    }

    /** Makes a new network namespace with "lo" up and pins it at {@code file} (which must not be a mount yet). */
    public static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        IOException[] failure = new IOException[1];
        // A platform thread of its own: unshare moves only this thread, which ends right after.
        Thread t = Thread.ofPlatform().name("netns-create").start(() -> {
            try {
                createOnThisThread(file);
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating network namespace " + file, e);
        }
        if (failure[0] != null) {
            Files.deleteIfExists(file);
            throw failure[0];
        }
    }

    /** Unmounts and deletes the namespace file; the namespace goes with its last user. Absent files are fine. */
    public static void remove(Path file) throws IOException {
        try {
            Syscalls.umount(file, Syscalls.MNT_DETACH);
        } catch (dev.skiff.sys.SyscallException e) {
            if (e.errno() != Syscalls.EINVAL && e.errno() != Syscalls.ENOENT) { // not a mount point (already unmounted) or gone
                throw e;
            }
        }
        Files.deleteIfExists(file);
    }

    private static void createOnThisThread(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.STATE);
            Posix.check((int) UNSHARE.invokeExact(st, CLONE_NEWNET), st, "unshare(CLONE_NEWNET)");
            Loopback.upHere();
            MemorySegment none = arena.allocateFrom("none", StandardCharsets.UTF_8);
            int rc = (int) MOUNT.invokeExact(st, arena.allocateFrom("/proc/thread-self/ns/net", StandardCharsets.UTF_8),
                    arena.allocateFrom(file.toString(), StandardCharsets.UTF_8), none, MS_BIND, MemorySegment.NULL);
            Posix.check(rc, st, "bind-mount the new network namespace on " + file);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
