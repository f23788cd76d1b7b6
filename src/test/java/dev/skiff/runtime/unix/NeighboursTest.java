package dev.skiff.runtime.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Neighbour entries deleted over rtnetlink, on a bridge device of the test's own (needs root). */
class NeighboursTest {
    private final String device = "skn" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));

    @BeforeEach
    void makeDevice() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assertThat(ip("link", "add", device, "type", "bridge")).isEmpty();
        ip("link", "set", device, "up");
    }

    @AfterEach
    void removeDevice() throws Exception {
        ip("link", "del", device);
    }

    private static String ip(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void forget_deletesTheEntryOfEitherFamily_andNoEntryIsNoError() throws Exception {
        ip("neigh", "add", "10.251.0.2", "lladdr", "02:00:00:00:00:02", "dev", device, "nud", "reachable");
        ip("neigh", "add", "fd00:251::2", "lladdr", "02:00:00:00:00:03", "dev", device, "nud", "reachable");
        ip("neigh", "add", "10.251.0.3", "lladdr", "02:00:00:00:00:04", "dev", device, "nud", "reachable");
        assertThat(ip("neigh", "show", "dev", device)).contains("10.251.0.2", "fd00:251::2");

        Neighbours.forget(device, "10.251.0.2");
        Neighbours.forget(device, "fd00:251::2");

        assertThat(ip("neigh", "show", "dev", device)).doesNotContain("10.251.0.2 ").doesNotContain("fd00:251::2 ")
                .contains("10.251.0.3"); // only the one asked for
        Neighbours.forget(device, "10.251.0.2"); // gone already
    }

    @Test
    void forget_onADeviceThatIsGone_says() {
        assertThatThrownBy(() -> Neighbours.forget("sknosuchdev", "10.251.0.2")).isInstanceOf(IOException.class);
    }
}
