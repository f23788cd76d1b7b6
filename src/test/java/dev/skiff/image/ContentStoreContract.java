package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What every {@link ContentStore} must do; an implementation's test extends this and supplies a fresh store. */
abstract class ContentStoreContract {
    protected abstract ContentStore store() throws Exception;

    /** Files or objects the implementation keeps besides committed blobs (must be none after a failure). */
    protected abstract long leftovers() throws Exception;

    private static final byte[] DATA = "hello, blob".getBytes(StandardCharsets.UTF_8);

    @Test
    void ingest_thenOpenByDigest() throws Exception {
        ContentStore s = store();
        Digest d = s.ingest(new ByteArrayInputStream(DATA), Digest.sha256(DATA), DATA.length);
        assertThat(d).isEqualTo(Digest.sha256(DATA));
        assertThat(s.exists(d)).isTrue();
        assertThat(s.size(d)).isEqualTo(DATA.length);
        try (InputStream in = s.open(d)) {
            assertThat(in.readAllBytes()).isEqualTo(DATA);
        }
        assertThat(s.list()).containsExactly(d);
    }

    @Test
    void ingest_withoutExpectation_takesComputedDigest() throws Exception {
        ContentStore s = store();
        assertThat(s.ingest(new ByteArrayInputStream(DATA), null, -1)).isEqualTo(Digest.sha256(DATA));
    }

    @Test
    void ingest_digestMismatch_refusedAndNothingLeft() throws Exception {
        ContentStore s = store();
        Digest wrong = Digest.sha256("other");
        assertThatThrownBy(() -> s.ingest(new ByteArrayInputStream(DATA), wrong, -1))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(wrong.toString());
        assertThat(s.exists(wrong)).isFalse();
        assertThat(s.exists(Digest.sha256(DATA))).isFalse();
        assertThat(s.list()).isEmpty();
        assertThat(leftovers()).isZero();
    }

    @Test
    void ingest_sizeMismatch_refusedAndNothingLeft() throws Exception {
        ContentStore s = store();
        assertThatThrownBy(() -> s.ingest(new ByteArrayInputStream(DATA), Digest.sha256(DATA), DATA.length + 1))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("truncated");
        assertThat(s.list()).isEmpty();
        assertThat(leftovers()).isZero();
    }

    @Test
    void writer_closedWithoutCommit_leavesNothing() throws Exception {
        ContentStore s = store();
        try (ContentStore.Writer w = s.writer()) {
            w.out().write(DATA);
            assertThat(w.written()).isLessThanOrEqualTo(DATA.length);
        }
        assertThat(s.list()).isEmpty();
        assertThat(leftovers()).isZero();
    }

    @Test
    void ingest_twice_isIdempotent() throws Exception {
        ContentStore s = store();
        s.ingest(new ByteArrayInputStream(DATA), null, -1);
        s.ingest(new ByteArrayInputStream(DATA), null, -1);
        assertThat(s.list()).hasSize(1);
    }

    @Test
    void delete_thenMissing() throws Exception {
        ContentStore s = store();
        Digest d = s.ingest(new ByteArrayInputStream(DATA), null, -1);
        assertThat(s.delete(d)).isTrue();
        assertThat(s.delete(d)).isFalse();
        assertThat(s.exists(d)).isFalse();
        assertThatThrownBy(() -> s.open(d)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> s.size(d)).isInstanceOf(NotFoundException.class);
    }
}
