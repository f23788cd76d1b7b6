package dev.skiff.build.exec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The history's created_by strings exactly as Docker's legacy builder writes them, so `docker history` reads
 * the same: metadata steps as the shell plus "#(nop) " and the instruction (joined with a space, hence two
 * spaces), RUN as "|N K=V ... " plus its command line, COPY/ADD as "#(nop) COPY file:HASH in DEST ".
 */
public final class CreatedBy {
    private CreatedBy() {
    }

    /** A metadata-only step: "/bin/sh -c #(nop)  CMD [\"sh\"]". */
    public static String nop(List<String> shell, String comment) {
        return String.join(" ", shell) + " #(nop)  " + comment;
    }

    /** WORKDIR: "/bin/sh -c #(nop) WORKDIR /app", one space (the classic builder makes it one word with its comment). */
    public static String workdir(List<String> shell, String dir) {
        return String.join(" ", shell) + " #(nop) WORKDIR " + dir;
    }

    /**
     * COPY and ADD: "/bin/sh -c #(nop) COPY file:abc in /app ", with --chown as the classic builder writes it:
     * "COPY --chown=1:2file:abc in /app " (its format string has no space there, and history readers expect it).
     */
    public static String copy(List<String> shell, String keyword, String chown, String sourceDigest, String dest) {
        String owner = chown == null || chown.isEmpty() ? "" : "--chown=" + chown;
        return String.join(" ", shell) + " #(nop) " + keyword + " " + owner + sourceDigest + " in " + dest + " ";
    }

    /** RUN: the argv joined, after "|N K=V ..." when build args are in scope (sorted). */
    public static String run(List<String> argv, List<String> buildArgs) {
        String cmd = String.join(" ", argv);
        if (buildArgs.isEmpty()) {
            return cmd;
        }
        return "|" + buildArgs.size() + " " + String.join(" ", buildArgs.stream().sorted().toList()) + " " + cmd;
    }

    /** Go's %q of a []string: ["a" "b c"], as CMD, ENTRYPOINT and HEALTHCHECK history entries show them. */
    public static String goQuoted(List<String> values) {
        return values.stream().map(dev.skiff.sys.GoQuote::quote).collect(Collectors.joining(" ", "[", "]"));
    }

    /** Go's %v of a []string: [a b c] (VOLUME, SHELL). */
    public static String goList(List<String> values) {
        return "[" + String.join(" ", values) + "]";
    }
}
