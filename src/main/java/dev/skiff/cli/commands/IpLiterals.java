package dev.skiff.cli.commands;

import java.net.InetAddress;

/** IP address literals as Go's net.ParseIP takes them, for the flags the docker CLI checks itself. */
public final class IpLiterals {
    private IpLiterals() {
    }

    /**
     * The bytes of an IPv4 dotted quad or an IPv6 literal; null for anything else (Java alone would read "1.2.3" as
     * 1.2.0.3; Go does not). Never a name to resolve.
     */
    public static byte[] parse(String s) {
        if (!s.contains(":") && s.split("\\.", -1).length != 4) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(s).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
