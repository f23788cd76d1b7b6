package dev.skiff.image;

import dev.skiff.errors.InvalidArgumentException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference in Docker's grammar (distribution/reference), always normalized:
 * {@code busybox} is {@code docker.io/library/busybox}. Tag and digest are each optional;
 * {@link #withDefaultTag()} adds ":latest" when both are absent, as pull and run do.
 *
 * @param domain "docker.io", "localhost:5000", "registry.example.com"
 * @param path   "library/busybox"
 * @param tag    the tag, or null
 * @param digest the "sha256:..." digest, or null
 */
public record Reference(String domain, String path, String tag, String digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+])";
    private static final String DOMAIN = HOST + "(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REMAINDER = Pattern.compile(
            "(" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
    private static final Pattern ID_LIKE = Pattern.compile("[a-f0-9]{64}");
    private static final int NAME_MAX = 255;

    /**
     * Parses and normalizes a reference as the docker CLI does (ParseNormalizedNamed).
     *
     * @throws InvalidArgumentException with Docker's wording ("invalid reference format: ...")
     */
    public static Reference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidArgumentException("invalid reference format: repository name must have at least one component");
        }
        if (ID_LIKE.matcher(text).matches()) {
            throw new InvalidArgumentException("invalid repository name (" + text
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        String domain;
        String remainder;
        int slash = text.indexOf('/');
        String first = slash < 0 ? "" : text.substring(0, slash);
        if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
                && first.equals(first.toLowerCase(java.util.Locale.ROOT)))) {
            domain = DEFAULT_DOMAIN;
            remainder = text;
        } else {
            domain = first;
            remainder = text.substring(slash + 1);
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
            remainder = "library/" + remainder;
        }
        if (!DOMAIN_PATTERN.matcher(domain).matches()) {
            throw new InvalidArgumentException("invalid reference format: " + text);
        }
        int nameEnd = endOfName(remainder);
        String name = remainder.substring(0, nameEnd);
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new InvalidArgumentException("invalid reference format: repository name (" + name + ") must be lowercase");
        }
        Matcher m = REMAINDER.matcher(remainder);
        if (!m.matches()) {
            throw new InvalidArgumentException("invalid reference format: " + text);
        }
        if (domain.length() + 1 + m.group(1).length() > NAME_MAX) {
            throw new InvalidArgumentException("invalid reference format: repository name must not be more than "
                    + NAME_MAX + " characters");
        }
        String digest = m.group(3);
        if (digest != null) {
            Digest.parse(digest);
        }
        return new Reference(domain, m.group(1), m.group(2), digest);
    }

    /** Parses and adds ":latest" when the text names neither a tag nor a digest. */
    public static Reference parseWithDefaultTag(String text) {
        return parse(text).withDefaultTag();
    }

    /** Whether {@code text} parses as a reference. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidArgumentException e) {
            return false;
        }
    }

    private static int endOfName(String remainder) {
        int at = remainder.indexOf('@');
        String beforeDigest = at < 0 ? remainder : remainder.substring(0, at);
        int colon = beforeDigest.lastIndexOf(':');
        return colon > beforeDigest.lastIndexOf('/') && colon >= 0 ? colon : beforeDigest.length();
    }

    public Reference withDefaultTag() {
        return tag == null && digest == null ? new Reference(domain, path, DEFAULT_TAG, null) : this;
    }

    public Reference withTag(String newTag) {
        return new Reference(domain, path, newTag, null);
    }

    /** The repository: "docker.io/library/busybox". */
    public String name() {
        return domain + "/" + path;
    }

    /** The repository as people write it: "busybox", "foo/bar", "localhost:5000/x". */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
    }

    /** "busybox:latest", "foo/bar@sha256:..." */
    public String familiar() {
        return familiarName() + suffix();
    }

    public boolean isNameOnly() {
        return tag == null && digest == null;
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** The full normalized form: "docker.io/library/busybox:latest". */
    @Override
    public String toString() {
        return name() + suffix();
    }
}
