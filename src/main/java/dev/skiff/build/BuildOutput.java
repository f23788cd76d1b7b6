package dev.skiff.build;

/**
 * Where a build reports to, in the legacy builder's vocabulary: text for the {"stream": ...} messages and the
 * image ID for the {"aux": {"ID": ...}} message. Called from one thread at a time.
 */
public interface BuildOutput {
    /** Text as the legacy builder streams it ("Step 1/3 : FROM busybox\n", RUN output, ...). */
    void stream(String text);

    /** Raw bytes a RUN step printed (not necessarily whole lines or whole UTF-8 characters). */
    default void output(byte[] bytes) {
        stream(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Byte progress of a download the build makes (an ADD of a URL, a remote context), as Docker's JSON progress
     * messages carry it: the docker CLI draws a bar from them on a terminal and shows nothing elsewhere. Updates
     * may be dropped (a stage's output that is held back drops them); nothing by default.
     *
     * @param total the size when known, else -1
     */
    default void progress(String id, String status, long current, long total) {
    }

    /** The final image's ID ("sha256:..."), once. */
    void imageId(String id);
}
