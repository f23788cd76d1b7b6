package dev.skiff.runtime.unix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Deletes the host's neighbour (ARP or NDP) entry for an address on one device, with one rtnetlink message
 * (RTM_DELNEIGH) from the daemon itself: what {@code ip neigh del ADDRESS dev DEVICE} does, without a process.
 */
public final class Neighbours {
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final MethodHandle SOCKET = Posix.handle("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle SEND = Posix.handle("send", FunctionDescriptor.of(L, I, ValueLayout.ADDRESS, L, I));
    private static final MethodHandle RECV = Posix.handle("recv", FunctionDescriptor.of(L, I, ValueLayout.ADDRESS, L, I));
    private static final int AF_NETLINK = 16, SOCK_RAW = 3, NETLINK_ROUTE = 0, AF_INET = 2, AF_INET6 = 10;
    private static final short RTM_DELNEIGH = 29, NLM_F_REQUEST = 1, NLM_F_ACK = 4, NDA_DST = 1, NLMSG_ERROR = 2;
    private static final int ENOENT = 2;
    private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.nativeOrder());

    private Neighbours() {
    }

    /**
     * Forgets {@code address}'s entry on {@code device}; none there is no error.
     *
     * @throws IOException when the device is gone or the kernel refuses (what it said)
     */
    public static void forget(String device, String address) throws IOException {
        InetAddress a = InetAddress.ofLiteral(address);
        byte[] addr = a.getAddress();
        int ifindex = Integer.parseInt(Files.readString(Path.of("/sys/class/net", device, "ifindex")).trim());
        int attrLen = 4 + addr.length;
        int len = 16 + 12 + ((attrLen + 3) & ~3);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.STATE);
            int fd = (int) SOCKET.invokeExact(st, AF_NETLINK, SOCK_RAW | Posix.SOCK_CLOEXEC, NETLINK_ROUTE);
            Posix.check(fd, st, "socket(AF_NETLINK)");
            try {
                MemorySegment m = arena.allocate(len);
                m.set(I, 0, len); // nlmsghdr: length, type, flags, sequence, port id (0: the kernel fills it)
                m.set(S, 4, RTM_DELNEIGH);
                m.set(S, 6, (short) (NLM_F_REQUEST | NLM_F_ACK));
                m.set(I, 8, 1);
                m.set(ValueLayout.JAVA_BYTE, 16, (byte) (a instanceof Inet4Address ? AF_INET : AF_INET6)); // ndmsg
                m.set(I, 20, ifindex);
                m.set(S, 28, (short) attrLen); // rtattr NDA_DST
                m.set(S, 30, NDA_DST);
                MemorySegment.copy(addr, 0, m, ValueLayout.JAVA_BYTE, 32, addr.length);
                long sent = (long) SEND.invokeExact(st, fd, m, (long) len, 0);
                Posix.check((int) Math.min(sent, 0), st, "send RTM_DELNEIGH");
                MemorySegment reply = arena.allocate(256);
                long n = (long) RECV.invokeExact(st, fd, reply, 256L, 0);
                Posix.check((int) Math.min(n, 0), st, "recv RTM_DELNEIGH");
                if (n >= 20 && reply.get(S, 4) == NLMSG_ERROR) {
                    int error = -reply.get(I, 16); // nlmsgerr: 0 is the ack
                    if (error != 0 && error != ENOENT) {
                        throw new IOException("cannot delete the neighbour entry of " + address + " on " + device
                                + ": errno " + error);
                    }
                }
            } finally {
                Posix.close(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
