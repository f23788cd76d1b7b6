package dev.skiff.engine.logging;

import java.util.Map;

/**
 * What drivers say about the container in every message (dockerd's logger.Info).
 *
 * @param name     without the leading slash
 * @param created  RFC 3339
 * @param tag      the tag option worked out ({{.ID}} by default)
 * @param extra    the attributes the labels, labels-regex, env and env-regex options pick
 * @param hostname this host's name
 */
public record LogSource(String id, String name, String imageId, String imageName, String command, String created,
                        String tag, Map<String, String> extra, String hostname) {
    public String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }
}
