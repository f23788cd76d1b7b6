package dev.skiff.cli.format;

/** Go's strconv.Quote, as docker uses it for the COMMAND column. */
public final class GoQuote {
    private GoQuote() {
    }

    public static String quote(String s) {
        return GoPrintf.quote(s);
    }
}
