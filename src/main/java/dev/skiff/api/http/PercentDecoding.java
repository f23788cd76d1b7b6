package dev.skiff.api.http;

import dev.skiff.errors.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes %XX escapes in a URL path segment. Unlike URLDecoder (which is for form data), '+' stays
 * '+': image tags and volume names may contain it and clients do not escape it in paths.
 */
final class PercentDecoding {
    private PercentDecoding() {
    }

    static String decodePath(String s) {
        int first = s.indexOf('%');
        if (first < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte c = raw[i];
            if (c == '%') {
                if (i + 2 >= raw.length) {
                    throw bad(s);
                }
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw bad(s);
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static InvalidArgumentException bad(String s) {
        return new InvalidArgumentException("invalid URL escape in path \"" + s + "\" (escape '%' as %25)");
    }
}
