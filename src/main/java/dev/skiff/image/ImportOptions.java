package dev.skiff.image;

import java.util.List;

/**
 * Options of `docker import`.
 *
 * @param reference "repo[:tag]" to tag the result with, or null
 * @param changes   Dockerfile instructions applied to the config (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, ONBUILD, STOPSIGNAL)
 * @param message   the history comment
 * @param platform  "os/arch", or null for the host's
 */
public record ImportOptions(String reference, List<String> changes, String message, String platform) {
}
