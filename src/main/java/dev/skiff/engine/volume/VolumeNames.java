package dev.skiff.engine.volume;

import dev.skiff.errors.InvalidArgumentException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The local driver's volume names (Docker's rule: they become directory names) and generated names. */
public final class VolumeNames {
    static final String VALID_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
    private static final Pattern VALID = Pattern.compile("^" + VALID_CHARS + "+$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private VolumeNames() {
    }

    /** @throws InvalidArgumentException with Docker's message, e.g. "create x/y: "x/y" includes invalid characters ..." */
    public static void validate(String name) {
        if (name.length() == 1) {
            throw new InvalidArgumentException("create " + name
                    + ": volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!VALID.matcher(name).matches()) {
            throw new InvalidArgumentException("create " + name + ": \"" + name
                    + "\" includes invalid characters for a local volume name, only \"" + VALID_CHARS
                    + "\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }

    /** 64 hex characters, as Docker names anonymous volumes. */
    public static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
