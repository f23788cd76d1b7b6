package dev.skiff.api.http;

/** The Engine API versions this server speaks, and how dockerd compares them. */
public final class ApiVersions {
    /** The newest version, used for unversioned paths and advertised in Api-Version. */
    public static final String CURRENT = "1.50";
    /** The oldest version dockerd 28 still accepts. */
    public static final String MINIMUM = "1.24";
    /** What dockerd 28.2.2 sends in the Server header; clients sniff it. */
    public static final String SERVER = "Docker/28.2.2 (linux)";

    private ApiVersions() {
    }

    /** Compares dotted versions numerically ("1.9" < "1.24"); missing parts count as 0. */
    public static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    /** Whether {@code v} (e.g. "1.41") is at least {@code min}: routes use this for version-dependent fields. */
    public static boolean atLeast(String v, String min) {
        return compare(v, min) >= 0;
    }

    private static int parse(String s) {
        try {
            return s.isEmpty() ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
