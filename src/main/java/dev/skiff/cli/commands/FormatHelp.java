package dev.skiff.cli.commands;

/** The docker CLI's --format usages (its flagsHelper.FormatHelp and InspectFormatHelp), word for word. */
public final class FormatHelp {
    private static final String REFER = "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

    /** Listings: ps, images, network ls, volume ls, history, stats, system df. */
    public static final String TABLE = "Format output using a custom template:\n"
            + "'table':            Print output in table format with column headers (default)\n"
            + "'table TEMPLATE':   Print output in table format using the given Go template\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n" + REFER;

    /** Single objects: inspect, info, version, events. */
    public static final String JSON = "Format output using a custom template:\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n" + REFER;

    private FormatHelp() {
    }
}
