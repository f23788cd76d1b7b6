package dev.skiff.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * One layer of an image stored from elsewhere (a registry pull): opened only when the store lacks it.
 *
 * @param diffId "sha256:..." of the uncompressed tar, from the image config
 * @param size   bytes {@link #open} will give (for progress), or -1
 * @param opener gives the layer bytes, compressed or not
 * @param digest "sha256:..." the bytes must hash to (a registry blob digest; also the progress id), or null
 */
public record LayerSource(String diffId, long size, Opener opener, String digest) {
    public LayerSource(String diffId, long size, Opener opener) {
        this(diffId, size, opener, null);
    }

    /** The id progress messages use: the short blob digest as Docker shows it, else the short diffID. */
    public String progressId() {
        return Digest.parse(digest != null ? digest : diffId).shortHex();
    }

    /** Opens the layer's bytes; called at most once. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }
}
