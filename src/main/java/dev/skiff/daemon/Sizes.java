package dev.skiff.daemon;

import dev.skiff.errors.InvalidArgumentException;
import java.util.Locale;

/** Parses sizes as Docker's units.RAMInBytes does: "512", "20k", "20m", "1g", "1.5GB" (base 1024). */
final class Sizes {
    private Sizes() {
    }

    static long parse(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        String s = text.strip().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        switch (last) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            case 't' -> unit = 1L << 40;
            default -> { }
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            double v = Double.parseDouble(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid size: '" + text + "' (use a number with an optional k, m or g suffix)");
        }
    }
}
