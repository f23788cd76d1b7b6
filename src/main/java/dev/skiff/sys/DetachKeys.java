package dev.skiff.sys;

import dev.skiff.errors.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * The key sequence that detaches a client from an attached container (default ctrl-p,ctrl-q), parsed as
 * Docker's term.ToBytes does and matched on the fly against the client's stdin.
 */
public final class DetachKeys {
    public static final String DEFAULT = "ctrl-p,ctrl-q";

    private final byte[] keys;
    private int matched;

    private DetachKeys(byte[] keys) {
        this.keys = keys;
    }

    /** Parses "ctrl-p,ctrl-q", "a,ctrl-x", ...; blank gives the default. */
    public static DetachKeys parse(String spec) {
        String s = spec == null || spec.isBlank() ? DEFAULT : spec;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : s.split(",")) {
            String k = key.trim().toLowerCase(Locale.ROOT);
            if (k.length() == 1) {
                out.write(k.charAt(0));
            } else if (k.startsWith("ctrl-") && k.length() == 6) {
                char c = k.charAt(5);
                int code;
                if (c >= 'a' && c <= 'z') {
                    code = c - 'a' + 1;
                } else {
                    code = switch (c) {
                        case '@' -> 0;
                        case '[' -> 27;
                        case '\\' -> 28;
                        case ']' -> 29;
                        case '^' -> 30;
                        case '_' -> 31;
                        default -> -1;
                    };
                }
                if (code < 0) {
                    throw invalid(s);
                }
                out.write(code);
            } else {
                throw invalid(s);
            }
        }
        return new DetachKeys(out.toByteArray());
    }

    private static InvalidArgumentException invalid(String s) {
        return new InvalidArgumentException("Invalid detach keys (" + s
                + ") provided: use a comma-separated list of ctrl-<a-z@[\\]^_> or single characters");
    }

    /** What {@link #filter} found. */
    public interface Sink {
        void write(byte[] data, int off, int len) throws java.io.IOException;
    }

    /**
     * Passes {@code data} on to {@code sink}, holding back a partial match of the sequence (sent on once it
     * stops matching). Returns true when the whole sequence was typed: the client detaches.
     */
    public boolean filter(byte[] data, int off, int len, Sink sink) throws java.io.IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (data[i] == keys[matched]) {
                if (matched == 0 && i > start) {
                    sink.write(data, start, i - start);
                }
                matched++;
                if (matched == keys.length) {
                    matched = 0;
                    return true;
                }
                start = i + 1;
            } else {
                if (matched > 0) {
                    sink.write(keys, 0, matched); // a false start: what was held back is ordinary input
                    matched = 0;
                    if (data[i] == keys[0]) {
                        matched = 1;
                        start = i + 1;
                        continue;
                    }
                    start = i;
                }
            }
        }
        if (matched == 0 && off + len > start) {
            sink.write(data, start, off + len - start);
        }
        return false;
    }
}
