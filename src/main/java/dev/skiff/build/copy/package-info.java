/**
 * The COPY/ADD file engine: copies context or stage files into a destination rootfs with Docker's
 * semantics (wildcards, --chown, --chmod, --exclude, --parents, archives, URLs), and the content digest
 * of exactly the files a COPY/ADD reads, which the build cache keys on.
 */
package dev.skiff.build.copy;
