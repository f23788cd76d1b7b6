package dev.skiff.registry.server;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One inclusive byte range of a blob, from an RFC 9110 {@code Range: bytes=...} request header.
 * Only single ranges are served; a multi-range request is answered with the whole blob, as RFC 9110 allows.
 */
public record ByteRange(long first, long last) {
    private static final Pattern SPEC = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    public long length() {
        return last - first + 1;
    }

    /** "bytes first-last/total" for Content-Range. */
    public String contentRange(long total) {
        return "bytes " + first + "-" + last + "/" + total;
    }

    /**
     * The range {@code header} asks for within a blob of {@code size} bytes: empty for no header, a
     * multi-range or a syntax this server ignores; throws {@link Unsatisfiable} when nothing of the blob
     * is in the range.
     */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SPEC.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first)) {
                throw new Unsatisfiable();
            }
            return Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException tooBig) {
            throw new Unsatisfiable();
        }
    }

    /** The range lies wholly outside the blob: answer 416 with Content-Range: bytes * /size. */
    public static final class Unsatisfiable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsatisfiable() {
            super("requested range not satisfiable", null, false, false);
        }
    }
}
