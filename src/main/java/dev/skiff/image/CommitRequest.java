package dev.skiff.image;

import java.nio.file.Path;

/**
 * A new image on top of {@code parentId} (null for scratch).
 *
 * @param diffDir   an overlay upper directory whose changes become the new layer, or null for no layer
 * @param config    the new image's runtime config
 * @param createdBy the history's created_by ("/bin/sh -c #(nop) CMD ..." for build steps)
 * @param reference "repo[:tag]" to tag with, or null
 * @param moveDiffDir the diff directory may be moved into the layer store as the layer itself (a build step's
 *                  upper directory, unmounted and thrown away afterwards) instead of being unpacked again from
 *                  its tar: one copy of the layer's files fewer; and no tar of it is stored, since it can be
 *                  regenerated from the directory when a push or save needs it ({@link LayerTars})
 */
public record CommitRequest(String parentId, Path diffDir, ImageConfig.Config config, String createdBy,
                            String author, String comment, String reference, boolean moveDiffDir) {
    public CommitRequest(String parentId, Path diffDir, ImageConfig.Config config, String createdBy, String author,
                         String comment, String reference) {
        this(parentId, diffDir, config, createdBy, author, comment, reference, false);
    }
}
