package dev.skiff.build.dockerfile;

/**
 * Where an instruction was written: the Dockerfile's name as the user gave it (e.g. "Dockerfile") and the
 * 1-based first and last physical lines (they differ for continuation lines and heredocs).
 */
public record SourceLocation(String file, int line, int endLine) {
    /** "Dockerfile:12", the prefix of every error about this instruction. */
    @Override
    public String toString() {
        return file + ":" + line;
    }

    /**
     * "Dockerfile parse error line 12", the prefix of a syntax error in the instruction (unknown instruction, missing
     * arguments, unknown flag), as the classic builder, BuildKit's parser and buildah all word it: what people and
     * tools search build output for. The file is named as given ("ci/Dockerfile.test parse error line 3" for -f
     * ci/Dockerfile.test), so a build of one of several files says which.
     */
    public String parseError() {
        return file + " parse error line " + line;
    }
}
