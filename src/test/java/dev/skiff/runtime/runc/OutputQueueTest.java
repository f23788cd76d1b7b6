package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.runtime.AttachSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputQueueTest {
    private static List<Integer> burst(OutputQueue q, boolean[] more) throws IOException {
        List<Integer> sizes = new ArrayList<>();
        more[0] = q.read((stream, data, off, len) -> sizes.add(len));
        return sizes;
    }

    @Test
    void smallOutputIsHandedOverAlone_queuedPacketsGoTogether() throws Exception {
        OutputQueue q = new OutputQueue(1);
        boolean[] more = new boolean[1];
        q.put(AttachSession.STDOUT, new byte[10], 0, 10);
        assertThat(burst(q, more)).containsExactly(10);
        assertThat(more[0]).isTrue();

        // full packets (bulk output) already queued go in one burst, flushed once by the caller
        q.put(AttachSession.STDOUT, new byte[8192], 0, 8192);
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                q.put(AttachSession.STDOUT, new byte[8192], 0, 8192);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.join();
        assertThat(burst(q, more)).containsExactly(8192, 8192);
    }

    @Test
    void theEndComesAfterTheDataBeforeIt() throws Exception {
        OutputQueue q = new OutputQueue(1);
        boolean[] more = new boolean[1];
        q.put(AttachSession.STDERR, new byte[8192], 0, 8192);
        q.finish(null);
        assertThat(burst(q, more)).containsExactly(8192);
        assertThat(more[0]).isTrue();
        assertThat(burst(q, more)).isEmpty();
        assertThat(more[0]).isFalse();
    }

    @Test
    void aProducerFailureReachesTheReader() throws Exception {
        OutputQueue q = new OutputQueue(1);
        q.finish(new IOException("conmon went away"));
        try {
            q.read((stream, data, off, len) -> { });
            org.assertj.core.api.Assertions.fail("expected the producer's failure");
        } catch (IOException e) {
            assertThat(e).hasMessage("conmon went away");
        }
    }
}
