package dev.skiff.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.build.StepSandbox;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.runtime.oci.HostInfo;
import dev.skiff.runtime.oci.OciSpecGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At most {@link StepRunner#MAX_RUNNING} RUN steps run at once, however many stages build in parallel. A script
 * stands in for runc: it records how many of it run at the same moment.
 */
class StepRunnerLimitTest {
    @TempDir
    Path dir;

    @Test
    void parallelSteps_waitForTheirTurn() throws Exception {
        Path running = Files.createDirectories(dir.resolve("running"));
        Path peak = dir.resolve("peak");
        Path fakeRunc = dir.resolve("runc");
        // args: --root ROOT run --bundle BUNDLE ID
        Files.writeString(fakeRunc, """
                #!/bin/sh
                touch "%1$s/$6"
                n=$(ls "%1$s" | wc -l)
                echo "$n" >> "%2$s"
                sleep 0.3
                rm -f "%1$s/$6"
                """.formatted(running, peak));
        Files.setPosixFilePermissions(fakeRunc, PosixFilePermissions.fromString("rwxr-xr-x"));
        StepRunner runner = new StepRunner(fakeRunc, dir.resolve("exec"), new OciSpecGenerator(HostInfo.detect(), "t"));
        int steps = StepRunner.MAX_RUNNING * 2 + 3;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                byte[] id = new byte[32];
                ThreadLocalRandom.current().nextBytes(id);
                StepProcess step = new StepProcess(HexFormat.of().formatHex(id), dir.resolve("rootfs").toString(),
                        new RuntimeSpec.Process(List.of("true"), List.of(), "/", "0:0", List.of(), false, List.of(),
                                List.of(), List.of()), RuntimeSpec.NetworkMode.NONE, null, List.of(), null, 0,
                        StepSandbox.DEFAULT);
                assertThat(runner.run(step, b -> { }, b -> { }, new Cancellation())).isZero();
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Integer> seen = Files.readAllLines(peak).stream().map(String::trim).map(Integer::parseInt).toList();
        assertThat(seen).hasSize(steps);
        assertThat(seen.stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThanOrEqualTo(StepRunner.MAX_RUNNING);
    }
}
