package dev.skiff.build.copy;

import dev.skiff.build.dockerfile.Heredoc;
import dev.skiff.build.dockerfile.Instruction;
import java.util.List;

/**
 * One COPY or ADD after variable substitution, as the file engine needs it.
 *
 * @param add      ADD semantics: URLs are fetched, local tar archives unpacked (unless unpack is false)
 * @param sources  source paths relative to the source root (a leading "/" or "../" is dropped, as Docker
 *                 does), with wildcards; for ADD also http(s) URLs
 * @param inline   heredoc files, created with their name in the destination
 * @param dest     the destination as written: absolute, or relative to {@code workdir}; a trailing "/"
 *                 makes it a directory
 * @param workdir  the stage's WORKDIR (absolute; "/" when none)
 * @param chown    the --chown value or null (files become 0:0)
 * @param chmod    the --chmod value (octal or chmod(1) symbolic) or null (modes kept)
 * @param exclude  --exclude patterns
 * @param parents  --parents: keep the source's parent directories (after a "/./" pivot, if any)
 * @param unpack   ADD --unpack: null is the default (local archives yes, URLs no)
 * @param checksum ADD --checksum ("sha256:hex" for a URL, a commit ID or a prefix of one for a Git source) or null
 * @param keepGitDir ADD --keep-git-dir: a Git source keeps its .git directory
 */
public record CopyRequest(boolean add, List<String> sources, List<Heredoc> inline, String dest, String workdir,
                          String chown, String chmod, List<String> exclude, boolean parents, Boolean unpack,
                          String checksum, boolean keepGitDir) {
    public CopyRequest {
        sources = List.copyOf(sources);
        inline = List.copyOf(inline);
        exclude = List.copyOf(exclude);
        workdir = workdir == null || workdir.isEmpty() ? "/" : workdir;
    }

    /** From a substituted COPY ({@code InstructionExpander.expand} first). */
    public static CopyRequest of(Instruction.Copy copy, String workdir) {
        return new CopyRequest(false, copy.sources(), copy.heredocs(), copy.dest(), workdir, copy.chown(), copy.chmod(),
                copy.exclude(), copy.parents(), null, null, false);
    }

    /** From a substituted ADD. */
    public static CopyRequest of(Instruction.Add add, String workdir) {
        return new CopyRequest(true, add.sources(), add.heredocs(), add.dest(), workdir, add.chown(), add.chmod(),
                add.exclude(), false, add.unpack(), add.checksum(), add.keepGitDir());
    }

    /** The destination as an absolute path inside the rootfs. */
    public String absoluteDest() {
        String d = dest.startsWith("/") ? dest : (workdir.endsWith("/") ? workdir : workdir + "/") + dest;
        return d;
    }

    /** Whether the destination is named as a directory (ends with "/", or is "." / ".." style). */
    public boolean destNamesDirectory() {
        return dest.endsWith("/") || dest.equals(".") || dest.endsWith("/.") || dest.equals("..") || dest.endsWith("/..");
    }

    public int sourceCount() {
        return sources.size() + inline.size();
    }
}
