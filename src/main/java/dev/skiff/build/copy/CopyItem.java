package dev.skiff.build.copy;

import dev.skiff.build.dockerfile.Heredoc;
import java.nio.file.Path;
import java.util.List;

/**
 * What one matched source contributes to a COPY/ADD: a file, a directory's contents, a local archive to
 * unpack, an inline heredoc file, or a fetched URL.
 *
 * @param label      the source as the user wrote it, for errors
 * @param path       the real file or directory read (a downloaded file for URLs; null for inline)
 * @param baseName   the name a file gets inside a directory destination
 * @param parentsRel with --parents, the path kept under the destination ("" otherwise)
 * @param entries    for DIRECTORY: every entry under it in walk order (the directory itself first, with
 *                   rel ""); for FILE: the file alone
 */
record CopyItem(Kind kind, String label, Path path, String baseName, String parentsRel, List<Entry> entries,
                Heredoc inline, RemoteFetcher.Fetched fetched) {
    enum Kind { FILE, DIRECTORY, ARCHIVE, INLINE, URL }

    /**
     * One filesystem entry to copy: its path relative to the item's {@code base} (and target), and what a stat of
     * it said. A COPY of a big tree holds one per file, so no path of its own is kept: {@link #source} makes it.
     */
    record Entry(Path base, String rel, FileStat attrs) {
        Path source() {
            return rel.isEmpty() ? base : base.resolve(rel);
        }
    }
}
