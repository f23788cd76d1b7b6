package dev.skiff.cli.commands.image;

/** Splits "[registry[:port]/]name[:tag]" the way docker's reference parser does for query parameters. */
public final class References {
    public record Ref(String repository, String tag) {
    }

    private References() {
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
