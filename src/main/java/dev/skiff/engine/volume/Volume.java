package dev.skiff.engine.volume;

import java.util.Map;

/**
 * One volume as the daemon records it (a row of {@code volume_volumes}).
 *
 * @param labels     null when the volume was made without any (Docker shows null then)
 * @param options    the driver options (local: type, o, device), null when none were given
 * @param createdAt  RFC 3339, seconds precision, as Docker shows it
 * @param mountpoint where the data is on the host: {@code <data-root>/volumes/<name>/_data}
 */
public record Volume(String name, String driver, Map<String, String> labels, Map<String, String> options,
                     String createdAt, String mountpoint) {
    /** The label Docker 23+ puts on anonymous volumes; `volume prune` without --all removes only those. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public boolean anonymous() {
        return labels != null && labels.containsKey(ANONYMOUS_LABEL);
    }

    public Map<String, String> labelsOrEmpty() {
        return labels == null ? Map.of() : labels;
    }

    public Map<String, String> optionsOrEmpty() {
        return options == null ? Map.of() : options;
    }
}
