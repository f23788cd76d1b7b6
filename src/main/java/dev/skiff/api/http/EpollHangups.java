package dev.skiff.api.http;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Native;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Turns off and on an epoll channel's interest in the peer's half-close (EPOLLRDHUP), which netty offers no public
 * call for. Netty answers that event by reading the socket whatever its autoRead and pending reads say; while another
 * thread reads the socket itself ({@link DirectBody}) that read would take bytes from the middle of its stream.
 * With the interest off, and EPOLLIN off as it is with autoRead off and no read asked for, netty does not touch the
 * socket's input until the interest is back.
 *
 * <p>Reached by reflection into netty's package; when that fails (another netty, another transport)
 * {@link #available} says no and the connection keeps the ordinary path.
 */
final class EpollHangups {
    private static final Class<?> EPOLL_CHANNEL = epollChannelClass();
    private static final Method CLEAR = method("clearFlag");
    private static final Method SET = method("setFlag");

    private EpollHangups() {
    }

    static boolean available(Channel channel) {
        return CLEAR != null && SET != null && EPOLL_CHANNEL.isInstance(channel);
    }

    /** Event loop only. */
    static void ignore(Channel channel) throws IOException {
        invoke(CLEAR, channel);
    }

    /** Event loop only. */
    static void watch(Channel channel) throws IOException {
        invoke(SET, channel);
    }

    private static void invoke(Method m, Channel channel) throws IOException {
        try {
            m.invoke(channel, Native.EPOLLRDHUP);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("changing the connection's epoll interest failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IOException("changing the connection's epoll interest failed: " + e, e);
        }
    }

    private static Class<?> epollChannelClass() {
        try {
            return Class.forName("io.netty.channel.epoll.AbstractEpollChannel");
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static Method method(String name) {
        if (EPOLL_CHANNEL == null) {
            return null;
        }
        try {
            Method m = EPOLL_CHANNEL.getDeclaredMethod(name, int.class);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
