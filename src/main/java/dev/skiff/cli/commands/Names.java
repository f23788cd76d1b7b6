package dev.skiff.cli.commands;

/** Docker's short forms of IDs and image references for display. */
public final class Names {
    private Names() {
    }

    /** stringid.TruncateID: drops an algorithm prefix and keeps 12 characters. */
    public static String shortId(String id) {
        if (id == null) {
            return "";
        }
        int colon = id.indexOf(':');
        String hex = colon >= 0 ? id.substring(colon + 1) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** reference.FamiliarString: "docker.io/library/busybox:latest" reads "busybox:latest". */
    public static String familiar(String ref) {
        if (ref == null) {
            return "";
        }
        if (ref.startsWith("docker.io/library/")) {
            return ref.substring("docker.io/library/".length());
        }
        if (ref.startsWith("docker.io/")) {
            return ref.substring("docker.io/".length());
        }
        return ref;
    }

    /** Adds ":latest" when a reference has neither tag nor digest, as docker does before asking. */
    public static String withDefaultTag(String ref) {
        int slash = ref.lastIndexOf('/');
        String last = ref.substring(slash + 1);
        return last.contains(":") || ref.contains("@") ? ref : ref + ":latest";
    }

    /** Drops a digest ("name:tag@sha256:..." reads "name:tag"; "name@sha256:..." reads "name"). */
    public static String withoutDigest(String ref) {
        int at = ref.indexOf('@');
        return at < 0 ? ref : ref.substring(0, at);
    }
}
