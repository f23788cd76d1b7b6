package dev.skiff.engine.network;

import dev.skiff.errors.InvalidArgumentException;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IPv6 prefix ("fd00:1::/64") with the address arithmetic networks need; addresses are unsigned 128-bit values
 * held in a BigInteger (allocation is rare and small: speed does not matter here, exactness does).
 *
 * @param base   the network address (host bits zero)
 * @param prefix 0..128
 */
public record Cidr6(BigInteger base, int prefix) {
    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    public Cidr6 {
        if (prefix < 0 || prefix > 128) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        base = base.and(mask(prefix));
    }

    /** Whether {@code s} is written as an IPv6 address or prefix (it has a colon): how Docker tells the families apart. */
    public static boolean isIpv6(String s) {
        return s != null && s.indexOf(':') >= 0;
    }

    /** Parses "fd00:1::/64"; host bits are cleared, as Docker does with "fd00:1::1/64". */
    public static Cidr6 parse(String s) {
        int slash = s == null ? -1 : s.indexOf('/');
        if (slash < 0 || s.length() > 64) {
            throw new InvalidArgumentException("invalid CIDR address: " + s + " (write it as fd00:1::/64)");
        }
        return new Cidr6(parseAddress(s.substring(0, slash)), Cidr.prefixLength(s, slash, 128, "fd00:1::/64"));
    }

    /**
     * Parses an IPv6 address literal. Only literals: {@link InetAddress#ofLiteral} never asks a name server, and a
     * zone ("%eth0") or an IPv4-mapped form is refused, as neither names a container's address.
     */
    public static BigInteger parseAddress(String s) {
        if (s == null || s.isEmpty() || s.length() > 45 || s.indexOf('%') >= 0 || s.indexOf(':') < 0) {
            throw new InvalidArgumentException("invalid IPv6 address: " + s);
        }
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("invalid IPv6 address: " + s);
        }
        if (!(a instanceof Inet6Address)) {
            throw new InvalidArgumentException("invalid IPv6 address: " + s + " (an IPv4 address in IPv6 form)");
        }
        return new BigInteger(1, a.getAddress());
    }

    /** The address in RFC 5952's canonical text: lower case, the longest run of two or more zero groups as "::". */
    public static String format(BigInteger a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = a.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group stays "0"
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** The canonical text of an address literal ("FD00:0:0::0002" is "fd00::2"). */
    public static String canonical(String address) {
        return format(parseAddress(address));
    }

    static BigInteger mask(int prefix) {
        return prefix == 0 ? BigInteger.ZERO : ALL.shiftRight(128 - prefix).shiftLeft(128 - prefix);
    }

    public boolean contains(BigInteger address) {
        return address.and(mask(prefix)).equals(base);
    }

    public boolean contains(Cidr6 other) {
        return other.prefix >= prefix && contains(other.base);
    }

    public boolean overlaps(Cidr6 other) {
        return contains(other.base) || other.contains(base);
    }

    /** The address at {@code offset} from the base (offset 1 = the usual gateway). */
    public BigInteger at(long offset) {
        return base.add(BigInteger.valueOf(offset));
    }

    /** The number of addresses, capped at Long.MAX_VALUE (a /64 holds more than any allocation will walk). */
    public long size() {
        return prefix <= 65 ? Long.MAX_VALUE : 1L << (128 - prefix);
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
