package dev.skiff.engine.network.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.ConflictException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Allocation against the machine's real sockets, in a small range of ports found free when the test starts. */
class PortAllocatorTest {
    private final EphemeralRange range = freeRange(8);
    private final PortAllocator allocator = new PortAllocator(range, new SocketPortProbe());

    @AfterEach
    void releaseAll() {
        allocator.owners().forEach(allocator::release);
    }

    @Test
    void random_walksTheRangeAndSkipsPortsHeldBySkiff() {
        List<PortBinding> a = allocator.allocate("a", List.of(new PortRequest("tcp", 80, "", 0, 0), new PortRequest("tcp", 81, "", 0, 0)));
        assertThat(a).containsExactly(new PortBinding("tcp", 80, "", range.first()), new PortBinding("tcp", 81, "", range.first() + 1));
        allocator.release("a");
        // the freed ports are not handed out again at once: the walk goes on after the last one given
        assertThat(allocator.allocate("b", List.of(new PortRequest("tcp", 80, "", 0, 0))))
                .containsExactly(new PortBinding("tcp", 80, "", range.first() + 2));
        // udp has its own walk
        assertThat(allocator.allocate("b", List.of(new PortRequest("udp", 53, "", 0, 0))))
                .containsExactly(new PortBinding("udp", 53, "", range.first()));
        assertThat(allocator.held("b")).hasSize(2);
    }

    @Test
    void random_skipsPortsAnotherProgramListensOn() throws IOException {
        try (ServerSocket other = listen(range.first())) {
            assertThat(allocator.allocate("a", List.of(new PortRequest("tcp", 80, "", 0, 0))).getFirst().hostPort())
                    .isEqualTo(range.first() + 1);
        }
    }

    @Test
    void fixed_portTakenByAnotherProgramOrContainer_isDockersError_andNothingIsKept() throws IOException {
        int port = range.first() + 3;
        try (ServerSocket other = listen(port)) {
            assertThatThrownBy(() -> allocator.allocate("a", List.of(
                    new PortRequest("tcp", 22, "", range.first(), range.first()), new PortRequest("tcp", 80, "", port, port))))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageStartingWith("Bind for 0.0.0.0:" + port + " failed: port is already allocated");
        }
        assertThat(allocator.held("a")).isEmpty();
        // the first port of the failed call was let go: another container can have it
        allocator.allocate("b", List.of(new PortRequest("tcp", 80, "127.0.0.1", range.first(), range.first())));
        assertThatThrownBy(() -> allocator.allocate("c", List.of(new PortRequest("tcp", 80, "", range.first(), range.first()))))
                .hasMessageStartingWith("Bind for 0.0.0.0:" + range.first() + " failed: port is already allocated");
        assertThatThrownBy(() -> allocator.allocate("c", List.of(new PortRequest("tcp", 80, "127.0.0.1", range.first(), range.first()))))
                .hasMessageStartingWith("Bind for 127.0.0.1:" + range.first() + " failed");
        // another protocol on the same number is a different port
        allocator.allocate("c", List.of(new PortRequest("udp", 80, "", range.first(), range.first())));
    }

    @Test
    void heldPorts_areBoundSoOtherProgramsCannotTakeThem_untilReleased() throws IOException {
        int port = range.first() + 4;
        allocator.allocate("a", List.of(new PortRequest("tcp", 80, "", port, port), new PortRequest("udp", 80, "", port, port)));
        assertThatThrownBy(() -> listen(port)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new DatagramSocket(new InetSocketAddress("0.0.0.0", port)).close()).isInstanceOf(IOException.class);
        allocator.release("a");
        listen(port).close();
        new DatagramSocket(new InetSocketAddress("0.0.0.0", port)).close();
    }

    @Test
    void hostRange_givesAnyFreePortOfIt_orDockersErrorWhenFull() {
        int lo = range.first() + 5;
        int hi = range.first() + 6;
        allocator.allocate("a", List.of(new PortRequest("tcp", 80, "", lo, lo)));
        assertThat(allocator.allocate("b", List.of(new PortRequest("tcp", 80, "", lo, hi)))).containsExactly(new PortBinding("tcp", 80, "", hi));
        assertThatThrownBy(() -> allocator.allocate("c", List.of(new PortRequest("tcp", 80, "", lo, hi))))
                .hasMessageStartingWith("Bind for 0.0.0.0:" + lo + "-" + hi + " failed: port is already allocated");
    }

    @Test
    void addressTheHostDoesNotHave_isAnAddressError_notATakenPort() {
        // 198.51.100.0/24 is TEST-NET-2, for documentation: no address of this host
        String foreign = "198.51.100.77";
        assertThatThrownBy(() -> allocator.allocate("a", List.of(new PortRequest("tcp", 80, foreign, range.first(), range.first()))))
                .isInstanceOf(dev.skiff.errors.InvalidArgumentException.class)
                .hasMessageStartingWith("listen tcp4 " + foreign + ":" + range.first() + ": bind: cannot assign requested address");
        assertThatThrownBy(() -> allocator.allocate("a", List.of(new PortRequest("tcp", 80, foreign, 0, 0))))
                .isInstanceOf(dev.skiff.errors.InvalidArgumentException.class);
        assertThat(allocator.held("a")).isEmpty();
    }

    @Test
    void exhaustedRange_saysSo() {
        PortAllocator tiny = new PortAllocator(new EphemeralRange(range.first() + 7, range.first() + 7), new SocketPortProbe());
        tiny.allocate("a", List.of(new PortRequest("tcp", 80, "", 0, 0)));
        assertThatThrownBy(() -> tiny.allocate("b", List.of(new PortRequest("tcp", 80, "", 0, 0))))
                .isInstanceOf(ConflictException.class).hasMessageStartingWith("all ports are allocated");
        tiny.release("a");
    }

    @Test
    void adopt_recordsPortsEvenWhenTheyCannotBeBoundAgain() throws IOException {
        int port = range.first() + 2;
        try (ServerSocket other = listen(port)) {
            allocator.adopt("old", List.of(new PortBinding("tcp", 80, "", port)));
        }
        assertThat(allocator.held("old")).containsExactly(new PortBinding("tcp", 80, "", port));
        assertThatThrownBy(() -> allocator.allocate("new", List.of(new PortRequest("tcp", 80, "", port, port))))
                .hasMessageContaining("already allocated");
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port));
        return s;
    }

    /** n consecutive ports nobody uses now (tcp and udp), well away from the kernel's ephemeral range. */
    static EphemeralRange freeRange(int n) {
        for (int start = 20000 + (int) (ProcessHandle.current().pid() % 500) * 16; start < 30000; start += n) {
            boolean free = true;
            for (int p = start; p < start + n && free; p++) {
                try (ServerSocket t = listen(p); DatagramSocket u = new DatagramSocket(new InetSocketAddress("0.0.0.0", p))) {
                    // free
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return new EphemeralRange(start, start + n - 1);
            }
        }
        throw new IllegalStateException("no " + n + " free consecutive ports between 20000 and 30000");
    }
}
