package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asking the kernel to start writing back changes nothing in what is written, and is only ever a head start. */
class WritebackOutputStreamTest {
    @TempDir
    Path tmp;

    @Test
    void write_largerThanSeveralSteps_keepsEveryByteInOrder() throws Exception {
        Path file = tmp.resolve("blob");
        byte[] chunk = new byte[(1 << 20) + 13]; // not a divisor of the step: flushes start mid-write
        Random random = new Random(7);
        long steps = 3 * WritebackOutputStream.STEP / chunk.length + 1;
        byte[] expectedTail = null;
        try (OutputStream out = new WritebackOutputStream(FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), file)) {
            for (long i = 0; i < steps; i++) {
                random.nextBytes(chunk);
                out.write(chunk, 0, chunk.length);
                expectedTail = chunk.clone();
            }
        }
        assertThat(Files.size(file)).isEqualTo(steps * chunk.length);
        try (FileChannel in = FileChannel.open(file)) {
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(chunk.length);
            in.read(tail, (steps - 1) * chunk.length);
            assertThat(Arrays.equals(tail.array(), expectedTail)).isTrue();
        }
    }

    @Test
    void writebackRefused_stillWritesTheFile() throws Exception {
        Path file = tmp.resolve("blob");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // a path that cannot be opened: no head start, the bytes are written all the same
        WritebackOutputStream out = new WritebackOutputStream(channel, tmp.resolve("elsewhere"));
        byte[] block = new byte[(int) WritebackOutputStream.STEP];
        Arrays.fill(block, (byte) 'x');
        out.write(block, 0, block.length);
        out.write('y');
        channel.force(true);
        out.close();
        assertThat(channel.isOpen()).isFalse();
        assertThat(Files.size(file)).isEqualTo(block.length + 1L);
    }
}
