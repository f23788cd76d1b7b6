package dev.skiff.runtime.unix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sendParking against a datagram socket whose reader is slow (python3's, asleep at first): the sender waits parked,
 * not inside send(2), and every datagram arrives once the reader reads.
 */
class PosixSendParkingTest {
    @TempDir
    Path dir;

    @Test
    void aFullSocketParksTheSender_andNothingIsLost() throws Exception {
        Path sock = dir.resolve("dgram.sock");
        Process reader = new ProcessBuilder("python3", "-c", """
                import socket, sys, time
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                s.bind(sys.argv[1])
                print("ready", flush=True)
                sys.stdin.readline()  # the test says when to read
                s.settimeout(2)
                n = 0
                try:
                    while n < 2000:
                        s.recv(4096)
                        n += 1
                except socket.timeout:
                    pass
                print(n, flush=True)
                """, sock.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");
            int fd = Posix.connectUnix(sock.toString(), Posix.SOCK_DGRAM);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread sender = Thread.ofVirtual().start(() -> {
                byte[] datagram = new byte[100];
                try {
                    for (int i = 0; i < 2000; i++) {
                        Posix.sendParking(fd, datagram, 0, datagram.length);
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            // more datagrams than the reader's queue holds (net.unix.max_dgram_qlen, 512 by default): the sender waits
            Thread.sleep(500);
            assertThat(sender.isAlive()).as("the sender waits for room").isTrue();
            // parked between tries (a send blocked in the kernel would show RUNNABLE every time)
            int parked = 0;
            for (int i = 0; i < 20; i++) {
                Thread.State state = sender.getState();
                if (state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING) {
                    parked++;
                }
                Thread.sleep(10);
            }
            assertThat(parked).as("samples of the sender found parked, of 20").isGreaterThanOrEqualTo(10);
            reader.getOutputStream().write('\n');
            reader.getOutputStream().flush();
            sender.join(10_000);
            assertThat(failed.get()).isNull();
            assertThat(sender.isAlive()).isFalse();
            assertThat(out.readLine()).isEqualTo("2000");
            Posix.close(fd);
        } finally {
            reader.destroyForcibly();
            reader.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
