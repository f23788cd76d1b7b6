package dev.skiff.runtime.unix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Runs code inside another network namespace. A socket belongs to the namespace of the thread that created it
 * and keeps it for life, so this is how the daemon opens a listener in a container's namespace and then serves
 * it from its own threads. setns(2) switches only the calling thread: each call gets a fresh platform thread
 * (a virtual thread could be carried by a thread that later runs other code), which switches back afterwards
 * and ends, so nothing else ever runs in the foreign namespace even if switching back failed.
 */
public final class NetnsSwitch {
    private static final MethodHandle SETNS = Posix.handle("setns",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final int CLONE_NEWNET = 0x40000000;

    private NetnsSwitch() {
    }

    /**
     * Calls {@code action} on a platform thread that is inside the network namespace {@code netns} (a file such
     * as /var/run/netns/NAME or /proc/PID/ns/net) and returns its result; its exception is rethrown as is when
     * it is an IOException or unchecked, else wrapped in an IOException.
     */
    public static <T> T inside(Path netns, Callable<T> action) throws IOException {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().name("netns-switch").start(() -> {
            try {
                result[0] = callInside(netns, action);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while working in network namespace " + netns, e);
        }
        if (failure[0] instanceof IOException e) {
            throw e;
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IOException("in network namespace " + netns + ": " + failure[0].getMessage(), failure[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static <T> T callInside(Path netns, Callable<T> action) throws Exception {
        int own = Posix.open("/proc/thread-self/ns/net", Posix.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.STATE);
            int target = Posix.open(netns.toString(), Posix.O_CLOEXEC);
            try {
                Posix.check(invokeSetns(st, target), st, "setns into network namespace " + netns);
            } finally {
                Posix.close(target);
            }
            try {
                return action.call();
            } finally {
                if (invokeSetns(st, own) < 0) {
                    // the thread ends right after, so nothing else runs in the foreign namespace
                    org.slf4j.LoggerFactory.getLogger(NetnsSwitch.class).warn("could not return to the daemon's netns");
                }
            }
        } finally {
            Posix.close(own);
        }
    }

    private static int invokeSetns(MemorySegment st, int fd) {
        try {
            return (int) SETNS.invokeExact(st, fd, CLONE_NEWNET);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
