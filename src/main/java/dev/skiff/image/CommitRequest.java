package dev.skiff.image;

import java.nio.file.Path;

/**
 * A new image on top of {@code parentId} (null for scratch).
 *
 * @param diffDir   an overlay upper directory whose changes become the new layer, or null for no layer
 * @param config    the new image's runtime config
 * @param createdBy the history's created_by ("/bin/sh -c #(nop) CMD ..." for build steps)
 * @param reference "repo[:tag]" to tag with, or null
 */
public record CommitRequest(String parentId, Path diffDir, ImageConfig.Config config, String createdBy,
                            String author, String comment, String reference) {
}
