package dev.skiff.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Blobs by digest: layers as they arrived (compressed or not), configs, manifests.
 *
 * <p>Lifecycle: {@link #writer()} starts a write; bytes go to {@link Writer#out()}; {@link Writer#commit}
 * verifies digest and size and only then makes the blob visible under its digest. A writer closed without
 * a successful commit leaves nothing behind. Once committed, {@link #open} reads it by digest until
 * {@link #delete}.
 */
public interface ContentStore {
    Writer writer() throws IOException;

    /** Writes {@code in} to its end as one blob; see {@link Writer#commit} for the checks. */
    default Digest ingest(InputStream in, Digest expected, long expectedSize) throws IOException {
        try (Writer w = writer()) {
            in.transferTo(w.out());
            return w.commit(expected, expectedSize);
        }
    }

    boolean exists(Digest digest);

    /** @throws dev.skiff.errors.NotFoundException when no such blob is stored */
    InputStream open(Digest digest) throws IOException;

    /** @throws dev.skiff.errors.NotFoundException when no such blob is stored */
    long size(Digest digest) throws IOException;

    /** Deletes a blob; returns false when it was not there. */
    boolean delete(Digest digest) throws IOException;

    List<Digest> list() throws IOException;

    /** One blob being written. */
    interface Writer extends Closeable {
        OutputStream out();

        /** Bytes written so far. */
        long written();

        /**
         * Makes the blob visible.
         *
         * @param expected     the digest the bytes must have, or null to take whatever they hash to
         * @param expectedSize the size they must have, or -1
         * @throws dev.skiff.errors.InvalidArgumentException on a digest or size mismatch (nothing is kept)
         */
        Digest commit(Digest expected, long expectedSize) throws IOException;
    }
}
