package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockPipeTest {
    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void bytesArriveInOrder_throughFewSmallBuffers() throws Exception {
        byte[] data = random(3_000_000);
        BlockPipe pipe = new BlockPipe(3, 4096);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return pipe.readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        for (int off = 0, step = 1; off < data.length; off += step, step = step * 3 % 70_001 + 1) {
            pipe.write(data, off, Math.min(step, data.length - off));
        }
        pipe.close(true);
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(data);
    }

    @Test
    void aWriterIsNeverHeldUp_byAReaderThatGaveUp() throws Exception {
        BlockPipe pipe = new BlockPipe(2, 1024);
        byte[] data = random(1 << 20);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                pipe.write(data, 0, data.length);
                pipe.close(true);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(pipe.readNBytes(100)).isEqualTo(java.util.Arrays.copyOf(data, 100));
        pipe.abandon();
        writer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aWriterThatFails_endsTheReaderWithAnError() throws Exception {
        BlockPipe pipe = new BlockPipe(2, 1024);
        pipe.write(new byte[] {1, 2, 3}, 0, 3);
        pipe.close(false);
        assertThat(pipe.readNBytes(3)).containsExactly(1, 2, 3);
        assertThatThrownBy(pipe::read).isInstanceOf(IOException.class).hasMessageContaining("cut short");
    }

    @Test
    void aFillingWriter_handsWholeBuffersToADrainingReader_inOrder() throws Exception {
        byte[] data = random(1_000_003);
        BlockPipe pipe = new BlockPipe(3, 4096);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (java.io.OutputStream out = pipe.filling()) {
                for (int off = 0, step = 1; off < data.length; off += step, step = step * 5 % 9_001 + 1) {
                    out.write(data, off, Math.min(step, data.length - off));
                }
                out.flush();
                pipe.close(true);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        pipe.drainTo((b, off, len) -> {
            assertThat(len).isBetween(1, 4096);
            got.write(b, off, len);
        });
        writer.get(30, TimeUnit.SECONDS);
        assertThat(got.toByteArray()).isEqualTo(data);
    }

    @Test
    void aFillingWriter_failsOnceTheReaderGaveUp_ratherThanProduceForNobody() throws Exception {
        BlockPipe pipe = new BlockPipe(2, 1024);
        java.io.OutputStream out = pipe.filling();
        out.write(new byte[1024]);
        pipe.abandon();
        assertThatThrownBy(() -> out.write(new byte[4096])).isInstanceOf(IOException.class)
                .hasMessageContaining("reader of the pipe stopped");
    }

    @Test
    void drainTo_endsWithAnError_whenTheWriterEndedIncomplete() throws Exception {
        BlockPipe pipe = new BlockPipe(2, 1024);
        java.io.OutputStream out = pipe.filling();
        out.write(new byte[] {1, 2, 3});
        out.flush();
        pipe.close(false);
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        assertThatThrownBy(() -> pipe.drainTo((b, off, len) -> got.write(b, off, len)))
                .isInstanceOf(IOException.class).hasMessageContaining("cut short");
        assertThat(got.toByteArray()).containsExactly(1, 2, 3);
    }
}
