package dev.skiff.daemon;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.HumanUnits;

/** Parses the daemon's size options ("20m", "1g") as Docker's units.RAMInBytes does. */
final class Sizes {
    private Sizes() {
    }

    static long parse(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return HumanUnits.ramInBytes(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("invalid size: '" + text + "' (use a number with an optional k, m or g suffix)");
        }
    }
}
