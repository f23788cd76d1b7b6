package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {
    private static final int MIB = 1 << 20;

    /** Text, then random bytes, then text again: compressed and stored blocks in one stream, not block-aligned. */
    private static byte[] mixed() {
        Random r = new Random(7);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String[] words = {"layer ", "overlay ", "digest ", "registry ", "manifest\n", "blob ", "tar "};
        while (b.size() < 2 * MIB + 12_345) {
            b.writeBytes(words[r.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII));
        }
        byte[] noise = new byte[3 * MIB + 77];
        r.nextBytes(noise);
        b.writeBytes(noise);
        while (b.size() < 7 * MIB + 999) {
            b.writeBytes(words[r.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    private static byte[] gzip(byte[] data, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out)) {
            for (int off = 0; off < data.length; off += chunk) {
                gz.write(data, off, Math.min(chunk, data.length - off));
            }
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void output_decompressesWithJavaZip_toTheSameBytes() throws IOException {
        byte[] data = mixed();
        byte[] gz = gzip(data, 64 << 10);
        assertThat(gunzip(gz)).isEqualTo(data);
        assertThat(gz.length).as("text compresses, noise is stored with little overhead")
                .isLessThan(data.length - 2 * MIB);
    }

    @Test
    void output_isTheSameForTheSameInput_howeverItIsWritten() throws IOException {
        byte[] data = mixed();
        Digest first = Digest.sha256(gzip(data, 64 << 10));
        assertThat(Digest.sha256(gzip(data, 64 << 10))).isEqualTo(first);
        assertThat(Digest.sha256(gzip(data, 4_099))).isEqualTo(first);
        assertThat(Digest.sha256(gzip(data, data.length))).isEqualTo(first);
    }

    @Test
    void recycledArrays_giveTheSameBytes() throws IOException {
        byte[] noise = new byte[12 * MIB + 5];
        new Random(11).nextBytes(noise); // stored blocks: their arrays are the ones reused
        ByteArrayOutputStream recycled = new ByteArrayOutputStream();
        ParallelGzipOutputStream[] self = new ParallelGzipOutputStream[1];
        self[0] = new ParallelGzipOutputStream(block -> {
            recycled.writeBytes(block);
            java.util.Arrays.fill(block, (byte) 0x55); // what a reused array held must not leak into a later block
            self[0].recycle(block);
        });
        for (int off = 0; off < noise.length; off += 100_000) {
            self[0].write(noise, off, Math.min(100_000, noise.length - off));
        }
        self[0].finish();
        assertThat(recycled.toByteArray()).isEqualTo(gzip(noise, 64 << 10));
        assertThat(gunzip(recycled.toByteArray())).isEqualTo(noise);
    }

    @Test
    void libdeflateAndZlibMembers_bothDecompressToTheBlock() throws IOException {
        byte[] text = java.util.Arrays.copyOf(mixed(), MIB);
        byte[] zlib = ParallelGzipOutputStream.compress(text, text.length, () -> null, false);
        assertThat(gunzip(zlib)).isEqualTo(text);
        if (ParallelGzipOutputStream.LIBDEFLATE) {
            byte[] native1 = ParallelGzipOutputStream.compress(text, text.length, () -> null, true);
            assertThat(gunzip(native1)).isEqualTo(text);
            assertThat(ParallelGzipOutputStream.compress(text, text.length, () -> null, true))
                    .as("the same block gives the same member").isEqualTo(native1);
        }
    }

    @Test
    void emptyAndTinyAndBlockSizedInputs_roundTrip() throws IOException {
        for (int size : new int[] {0, 1, 100, ParallelGzipOutputStream.BLOCK - 1, ParallelGzipOutputStream.BLOCK,
                ParallelGzipOutputStream.BLOCK + 1, 2 * ParallelGzipOutputStream.BLOCK}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            for (int i = 0; i < size / 3; i++) {
                data[i] = 'a'; // a compressible first third
            }
            assertThat(gunzip(gzip(data, 10_000))).as("size " + size).isEqualTo(data);
        }
    }

    @Test
    void randomBlocks_areStored_compressibleOnesAreDeflated() {
        byte[] noise = new byte[MIB];
        new Random(1).nextBytes(noise);
        assertThat(ParallelGzipOutputStream.incompressible(noise, noise.length)).isTrue();
        byte[] text = "the same line over and over\n".repeat(MIB / 28).getBytes(StandardCharsets.US_ASCII);
        assertThat(ParallelGzipOutputStream.incompressible(text, text.length)).isFalse();
        assertThat(ParallelGzipOutputStream.compress(text, text.length).length).isLessThan(text.length / 20);
    }

    @Test
    void output_decompressesWithGzipTool(@TempDir Path dir) throws Exception {
        byte[] data = mixed();
        Path gz = dir.resolve("layer.gz");
        Files.write(gz, gzip(data, 1 << 16));
        Process p = new ProcessBuilder("gzip", "-t", gz.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        Process d = new ProcessBuilder("gzip", "-dc", gz.toString()).redirectErrorStream(false).start();
        byte[] back = d.getInputStream().readAllBytes();
        assertThat(d.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Digest.sha256(back)).isEqualTo(Digest.sha256(data));
    }
}
