package dev.skiff.image;

import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86d0...}: what blobs, layers (diffID, chainID) and images (ID)
 * are named by. Only sha256 and sha512 are accepted, with lowercase hex of the right length.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!ok) {
            throw new InvalidArgumentException("invalid digest " + algorithm + ":" + hex
                    + " (expected sha256: and 64 lowercase hex digits)");
        }
    }

    /** Parses "sha256:&lt;hex&gt;". */
    public static Digest parse(String value) {
        int colon = value == null ? -1 : value.indexOf(':');
        if (colon <= 0) {
            throw new InvalidArgumentException("invalid digest " + value + " (expected sha256: and 64 lowercase hex digits)");
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    /** Whether {@code value} is a well-formed digest. */
    public static boolean isDigest(String value) {
        try {
            parse(value);
            return true;
        } catch (InvalidArgumentException e) {
            return false;
        }
    }

    public static Digest sha256Hex(String hex) {
        return new Digest("sha256", hex);
    }

    public static Digest sha256(byte[] data) {
        return of(newSha256().digest(data));
    }

    public static Digest sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@code in} to its end and digests it. */
    public static Digest sha256(InputStream in) throws IOException {
        MessageDigest md = newSha256();
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return of(md.digest());
    }

    /** The digest a finished sha256 {@link MessageDigest} holds. */
    public static Digest of(MessageDigest md) {
        return of(md.digest());
    }

    private static Digest of(byte[] sha256) {
        return new Digest("sha256", HexFormat.of().formatHex(sha256));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The first 12 hex digits, as Docker shows short IDs. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
