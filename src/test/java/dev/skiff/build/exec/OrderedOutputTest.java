package dev.skiff.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.build.BuildOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedOutputTest {
    /** Records what reaches the client, telling text from raw bytes. */
    private static final class Recording implements BuildOutput {
        final List<String> got = new ArrayList<>();

        @Override
        public void stream(String text) {
            got.add("s:" + text);
        }

        @Override
        public void output(byte[] bytes) {
            got.add("b:" + new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void progress(String id, String status, long current, long total) {
            got.add("p:" + status + " " + current + "/" + total);
        }

        @Override
        public void imageId(String id) {
            got.add("id:" + id);
        }
    }

    @Test
    void byteProgress_passesThrough_butIsDroppedWhileHeld() {
        Recording client = new Recording();
        OrderedOutput out = new OrderedOutput(client);
        out.progress("", "Downloading", 1, 4);
        out.hold();
        out.progress("", "Downloading", 2, 4);
        out.stream("held\n");
        out.release(" ---> 0123456789ab\n");
        out.progress("", "Downloading", 4, 4);
        assertThat(client.got).containsExactly("p:Downloading 1/4", "s: ---> 0123456789ab\n", "s:held\n",
                "p:Downloading 4/4");
    }

    @Test
    void passesThrough_untilHeld_thenReleasesTheFirstLineBeforeWhatWasHeld_inOrder() {
        Recording client = new Recording();
        OrderedOutput out = new OrderedOutput(client);
        out.stream("Step 2/3 : RUN a\n");
        out.hold();
        out.stream("Step 3/3 : RUN b\n");
        out.output("raw".getBytes(StandardCharsets.UTF_8));
        out.stream("line\n");
        assertThat(client.got).containsExactly("s:Step 2/3 : RUN a\n");

        out.release(" ---> 0123456789ab\n");
        assertThat(client.got).containsExactly("s:Step 2/3 : RUN a\n", "s: ---> 0123456789ab\n",
                "s:Step 3/3 : RUN b\n", "b:raw", "s:line\n");
        out.stream("after\n");
        assertThat(client.got.getLast()).isEqualTo("s:after\n");
    }

    @Test
    void aFailedCommitReleasesWithoutALine_andTheImageIdNeverWaits() {
        Recording client = new Recording();
        OrderedOutput out = new OrderedOutput(client);
        out.hold();
        out.stream("held\n");
        out.release(null);
        assertThat(client.got).containsExactly("s:held\n");

        out.hold();
        out.stream("held again\n");
        out.imageId("sha256:abc");
        assertThat(client.got).containsExactly("s:held\n", "s:held again\n", "id:sha256:abc");
    }

    @Test
    void aWriterPastTheLimit_waitsForTheRelease_andKeepsItsPlace() throws Exception {
        Recording client = new Recording();
        OrderedOutput out = new OrderedOutput(client, 10);
        out.hold();
        out.stream("12345678\n"); // 9 bytes: held
        Thread writer = Thread.ofVirtual().start(() -> out.stream("more\n")); // would make 14: waits
        writer.join(300);
        assertThat(writer.isAlive()).isTrue();
        synchronized (client) {
            assertThat(client.got).isEmpty();
        }
        out.release(" ---> id\n");
        writer.join(5000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(client.got).containsExactly("s: ---> id\n", "s:12345678\n", "s:more\n");
    }

    @Test
    void releaseWithoutHold_writesOnlyTheLine() {
        Recording client = new Recording();
        OrderedOutput out = new OrderedOutput(client);
        out.release(" ---> x\n");
        assertThat(client.got).containsExactly("s: ---> x\n");
    }
}
