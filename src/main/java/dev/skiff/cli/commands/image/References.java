package dev.skiff.cli.commands.image;

/** Splits "[registry[:port]/]name[:tag]" the way docker's reference parser does for query parameters. */
public final class References {
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
