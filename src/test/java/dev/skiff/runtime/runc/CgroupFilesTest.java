package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupFilesTest {
    @TempDir
    Path dir;

    @Test
    void keyedFiles_readEveryCounterRow_inOrder() throws Exception {
        Path stat = Files.writeString(dir.resolve("memory.stat"), "cache 4096\nrss 8192\nbogus row here\nname x\n");
        assertThat(CgroupFiles.keyedAll(stat)).containsExactly(java.util.Map.entry("cache", 4096L),
                java.util.Map.entry("rss", 8192L));
        assertThat(CgroupFiles.keyed(stat, "rss")).isEqualTo(8192);
        assertThat(CgroupFiles.keyed(stat, "nosuch")).isZero();
        assertThat(CgroupFiles.keyedAll(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void numberLists_readPerCpuUsage() throws Exception {
        assertThat(CgroupFiles.numbers(Files.writeString(dir.resolve("cpuacct.usage_percpu"), "12 34 \n")))
                .containsExactly(12, 34);
        assertThat(CgroupFiles.numbers(dir.resolve("missing"))).isNull();
        assertThat(CgroupFiles.numbers(Files.writeString(dir.resolve("odd"), "1 x"))).isNull();
    }
}
