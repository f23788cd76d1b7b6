package dev.skiff.cli.commands.container;

import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.IpLiterals;
import java.util.regex.Pattern;

/**
 * The values of run's flags that the docker CLI checks itself before it asks the daemon, in its words: --dns
 * addresses and --add-host entries as flag errors, an empty -v and a bad --mac-address as run's own.
 */
final class NetworkValues {
    /** Go's net.ParseMAC forms of a 6-byte address: 02:42:ac:11:00:02, 02-42-ac-11-00-02, 0242.ac11.0002. */
    private static final Pattern MAC = Pattern.compile(
            "(?i)[0-9a-f]{2}([:-])[0-9a-f]{2}(\\1[0-9a-f]{2}){4}|[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}");

    private NetworkValues() {
    }

    static void check(RunOptions o) {
        for (String d : o.dns) {
            if (!isIp(d)) {
                throw CliFailure.usage("invalid argument \"" + d + "\" for \"--dns\" flag: IP address is not correctly formatted: " + d);
            }
        }
        for (String h : o.addHosts) {
            checkExtraHost(h);
        }
        for (String v : o.volumes) {
            if (v.isEmpty()) {
                throw CliFailure.invalid("invalid empty volume spec");
            }
        }
        if (o.macAddress != null && !o.macAddress.isEmpty() && !MAC.matcher(o.macAddress).matches()) {
            throw CliFailure.invalid(o.macAddress + " is not a valid mac address");
        }
    }

    /** docker's ValidateExtraHost: NAME:IP or NAME=IP, IP an address (IPv6 may be bracketed) or host-gateway. */
    private static void checkExtraHost(String entry) {
        int sep = entry.indexOf('=');
        if (sep < 0) {
            sep = entry.indexOf(':');
        }
        if (sep <= 0) {
            throw CliFailure.usage("invalid argument \"" + entry + "\" for \"--add-host\" flag: bad format for add-host: \"" + entry + "\"");
        }
        String ip = entry.substring(sep + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.equals("host-gateway") && !isIp(ip)) {
            throw CliFailure.usage("invalid argument \"" + entry + "\" for \"--add-host\" flag: invalid IP address in add-host: \"" + ip + "\"");
        }
    }

    /** An IPv4 (dotted quad, as Go's net.ParseIP) or IPv6 literal, never a name to resolve. */
    static boolean isIp(String s) {
        return IpLiterals.parse(s) != null;
    }
}
