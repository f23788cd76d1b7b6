package dev.skiff.build.copy;

import dev.skiff.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/**
 * A --chmod value: octal ("755", "0644") or chmod(1) symbolic ("+x", "u=rwX,go=rX", "g=u"), applied to
 * a file's or directory's current mode. Capital X adds execute only to directories and to files that
 * already have an execute bit.
 */
final class Chmod {
    private record Clause(int who, char op, int perms, char copyFrom) {
    }

    private final Integer octal;
    private final List<Clause> clauses;

    private Chmod(Integer octal, List<Clause> clauses) {
        this.octal = octal;
        this.clauses = clauses;
    }

    static Chmod parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '7')) {
            if (text.length() > 4) {
                throw invalid(text);
            }
            return new Chmod(Integer.parseInt(text, 8), List.of());
        }
        List<Clause> clauses = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int i = 0;
            int who = 0;
            for (; i < part.length() && "ugoa".indexOf(part.charAt(i)) >= 0; i++) {
                who |= switch (part.charAt(i)) {
                    case 'u' -> 04700;
                    case 'g' -> 02070;
                    case 'o' -> 01007;
                    default -> 07777;
                };
            }
            if (i >= part.length()) {
                throw invalid(text);
            }
            boolean whoGiven = who != 0;
            while (i < part.length()) {
                char op = part.charAt(i++);
                if (op != '+' && op != '-' && op != '=') {
                    throw invalid(text);
                }
                int perms = 0;
                char copyFrom = 0;
                if (i < part.length() && "ugo".indexOf(part.charAt(i)) >= 0) {
                    copyFrom = part.charAt(i++);
                } else {
                    for (; i < part.length() && "rwxXst".indexOf(part.charAt(i)) >= 0; i++) {
                        perms |= switch (part.charAt(i)) {
                            case 'r' -> 0444;
                            case 'w' -> 0222;
                            case 'x' -> 0111;
                            case 'X' -> 010000; // marker, resolved per file
                            case 's' -> 06000;
                            default -> 01000;
                        };
                    }
                }
                // without who, "+x" acts on all (umask is not applied by the builder)
                clauses.add(new Clause(whoGiven ? who : 07777, op, perms, copyFrom));
            }
        }
        return new Chmod(null, clauses);
    }

    private static InvalidArgumentException invalid(String text) {
        return new InvalidArgumentException("invalid --chmod value \"" + text
                + "\" (give octal like 755, or symbolic like u=rwX,go=rX)");
    }

    /** The new permission bits (07777) for an entry whose current bits are {@code mode}. */
    int apply(int mode, boolean directory) {
        if (octal != null) {
            return octal;
        }
        int m = mode & 07777;
        for (Clause c : clauses) {
            int bits = c.perms() & 07777;
            if ((c.perms() & 010000) != 0 && (directory || (mode & 0111) != 0)) {
                bits |= 0111;
            }
            if (c.copyFrom() != 0) {
                int src = switch (c.copyFrom()) {
                    case 'u' -> (m >> 6) & 7;
                    case 'g' -> (m >> 3) & 7;
                    default -> m & 7;
                };
                bits = src << 6 | src << 3 | src;
            }
            bits &= c.who();
            m = switch (c.op()) {
                case '+' -> m | bits;
                case '-' -> m & ~bits;
                default -> (m & ~(c.who() & 0777)) | bits;
            };
        }
        return m;
    }
}
