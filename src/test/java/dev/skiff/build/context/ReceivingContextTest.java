package dev.skiff.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A context unpacked while the build starts: the Dockerfile is handed over before the rest has arrived. */
class ReceivingContextTest {
    @TempDir
    Path dir;

    /** Serves {@code first} bytes, then blocks until released, then serves the rest. */
    private static final class HeldStream extends InputStream {
        private final byte[] data;
        private final int first;
        private final CountDownLatch release = new CountDownLatch(1);
        private int pos;

        HeldStream(byte[] data, int first) {
            this.data = data;
            this.first = first;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == first) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (pos >= data.length) {
                return -1;
            }
            int end = pos < first ? first : data.length;
            int n = Math.min(len, end - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private ReceivingContext start(InputStream tar, String early) {
        return ReceivingContext.start(tar, ContextPlacement.at(dir), "tree", 1 << 20, null, null, early, 1 << 10);
    }

    @Test
    void dockerfile_isHandedOverBeforeTheRestArrives() throws Exception {
        byte[] tar = TestTars.tar("Dockerfile", "f", "FROM x\n", "data/a", "f", "aaa", "data/b", "f", "bbb");
        HeldStream held = new HeldStream(tar, 1024); // one header block and one content block: the Dockerfile
        ReceivingContext r = start(held, "Dockerfile");
        assertThat(r.earlyFile()).hasValueSatisfying(b ->
                assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("FROM x\n"));
        assertThat(Files.exists(dir.resolve("tree/data/b"))).isFalse(); // the rest is still on its way
        held.release.countDown();
        ContextArchive.Unpacked whole = r.await();
        assertThat(whole.root().resolve("data/b")).hasContent("bbb");
        assertThat(r.earlyFileReplaced()).isFalse();
    }

    @Test
    void absentOrNotAFile_isLeftToTheWholeContext() throws Exception {
        ReceivingContext none = start(new ByteArrayInputStream(TestTars.tar("a", "f", "x")), "Dockerfile");
        assertThat(none.earlyFile()).isEmpty();
        assertThat(none.await().root().resolve("a")).hasContent("x");

        ReceivingContext link = start(new ByteArrayInputStream(TestTars.tar("real", "f", "FROM y\n",
                "Dockerfile", "l", "real")), "Dockerfile");
        assertThat(link.earlyFile()).isEmpty();

        ReceivingContext big = start(new ByteArrayInputStream(TestTars.tar("Dockerfile", "f", "x".repeat(2000))),
                "Dockerfile");
        assertThat(big.earlyFile()).as("over the size limit: the caller's own check says so").isEmpty();
    }

    @Test
    void aSecondEntryOfTheName_isReported() throws Exception {
        ReceivingContext r = start(new ByteArrayInputStream(TestTars.tar("Dockerfile", "f", "FROM x\n",
                "Dockerfile", "f", "FROM evil\n")), "Dockerfile");
        assertThat(r.earlyFile()).isPresent();
        r.await();
        assertThat(r.earlyFileReplaced()).isTrue();
    }

    @Test
    void aBrokenContext_failsAwait_andReleasesTheEarlyWait() throws Exception {
        ReceivingContext r = start(new ByteArrayInputStream(TestTars.tar("../evil", "f", "x")), "Dockerfile");
        assertThat(r.earlyFile()).isEmpty();
        assertThatThrownBy(r::await).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("outside");
        assertThat(r.awaitQuietly()).isEmpty();
    }

    @Test
    void awaitQuietly_returnsOnlyOnceUnpackingEnded() throws Exception {
        byte[] tar = TestTars.tar("Dockerfile", "f", "FROM x\n", "late", "f", "z");
        HeldStream held = new HeldStream(tar, 1024);
        ReceivingContext r = start(held, "Dockerfile");
        r.earlyFile();
        Thread waiter = Thread.ofVirtual().start(r::awaitQuietly);
        assertThat(waiter.join(java.time.Duration.ofMillis(200))).isFalse();
        held.release.countDown();
        assertThat(waiter.join(java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(r.awaitQuietly()).hasValueSatisfying(u -> assertThat(u.root().resolve("late")).hasContent("z"));
    }
}
