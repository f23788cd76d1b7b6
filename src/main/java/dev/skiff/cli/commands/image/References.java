package dev.skiff.cli.commands.image;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits "[registry[:port]/]name[:tag]" the way docker's reference parser does for query parameters. */
public final class References {
    // distribution/reference's grammar (regexp.go)
    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])";
    private static final String NAME = "(?:" + HOST + "(?::[0-9]+)?/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final Pattern REFERENCE = Pattern.compile("^(" + NAME + ")(?::([\\w][\\w.-]{0,127}))?"
            + "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$");
    private static final Pattern IDENTIFIER = Pattern.compile("^[a-f0-9]{64}$");

    public record Ref(String repository, String tag) {
    }

    private References() {
    }

    /**
     * reference.ParseNormalizedNamed(...).Name(): "busybox" is "docker.io/library/busybox",
     * "me/app" is "docker.io/me/app"; a first component with '.' or ':' or "localhost" is a registry.
     */
    public static String normalizedName(String repository) {
        int slash = repository.indexOf('/');
        String first = slash < 0 ? "" : repository.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            return repository;
        }
        return slash < 0 ? "docker.io/library/" + repository : "docker.io/" + repository;
    }

    /**
     * docker's reference.ParseNormalizedNamed check: null when {@code ref} is a valid reference, else its error
     * ("invalid reference format: repository name (library/Bad) must be lowercase").
     */
    public static String problem(String ref) {
        if (IDENTIFIER.matcher(ref).matches()) {
            return "invalid repository name (" + ref + "), cannot specify 64-byte hexadecimal strings";
        }
        int slash = ref.indexOf('/');
        String first = slash < 0 ? "" : ref.substring(0, slash);
        boolean domain = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.toLowerCase(java.util.Locale.ROOT).equals(first));
        String remainder = domain ? ref.substring(slash + 1) : ref;
        if (!domain && !remainder.contains("/")) {
            remainder = "library/" + remainder;
        }
        int colon = remainder.indexOf(':');
        String remote = colon < 0 ? remainder : remainder.substring(0, colon);
        if (!remote.toLowerCase(java.util.Locale.ROOT).equals(remote)) {
            return "invalid reference format: repository name (" + remote + ") must be lowercase";
        }
        String full = (domain ? first : "docker.io") + "/" + remainder;
        Matcher m = REFERENCE.matcher(full);
        if (!m.matches()) {
            return REFERENCE.matcher(full.toLowerCase(java.util.Locale.ROOT)).matches()
                    ? "invalid reference format: repository name must be lowercase" : "invalid reference format";
        }
        return m.group(1).length() > 255 ? "repository name must not be more than 255 characters" : null;
    }

    /** The tag is what follows the last ':' after the last '/'; null when there is none. */
    public static Ref split(String ref) {
        int at = ref.indexOf('@');
        if (at >= 0) {
            return new Ref(ref.substring(0, at), ref.substring(at + 1));
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return new Ref(ref.substring(0, colon), ref.substring(colon + 1));
        }
        return new Ref(ref, null);
    }
}
