package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heap the daemon holds per running container (the fake runtime holds almost nothing itself). */
class FootprintTest {
    @TempDir
    Path tmp;

    @Test
    void runningContainers_costAFewKilobytesOfHeap() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            int n = 300;
            long before = usedHeap();
            for (int i = 0; i < n; i++) {
                String id = f.create("c" + i, "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"1000\"],\"Labels\":{\"app\":\"x\"}}");
                f.service.start(id);
            }
            long after = usedHeap();
            long perContainer = (after - before) / n;
            System.out.printf("heap per running container: %d bytes (fake runtime included)%n", perContainer);
            assertThat(perContainer).isLessThan(64 * 1024);
        }
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
