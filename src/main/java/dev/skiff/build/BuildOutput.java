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

    /** The final image's ID ("sha256:..."), once. */
    void imageId(String id);
}
