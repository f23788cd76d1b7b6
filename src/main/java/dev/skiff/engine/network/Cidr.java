package dev.skiff.engine.network;

import dev.skiff.errors.InvalidArgumentException;

/**
 * An IPv4 subnet ("172.18.0.0/16") with the address arithmetic networks need; addresses are unsigned 32-bit
 * values held in an int.
 *
 * @param base   the network address (host bits zero)
 * @param prefix 0..32
 */
public record Cidr(int base, int prefix) {
    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        base &= mask(prefix);
    }

    /** Parses "a.b.c.d/n"; host bits are cleared, as Docker does with "172.18.0.1/16". */
    public static Cidr parse(String s) {
        int slash = s == null ? -1 : s.indexOf('/');
        if (slash < 0 || s.length() > 18) {
            throw new InvalidArgumentException("invalid CIDR address: " + s + " (write it as 172.20.0.0/16)");
        }
        return new Cidr(parseAddress(s.substring(0, slash)), prefixLength(s, slash, 32, "172.20.0.0/16"));
    }

    /** The prefix length after the slash at {@code slash} of {@code s}, 0 to {@code max}; for both families. */
    static int prefixLength(String s, int slash, int max, String example) {
        int prefix;
        try {
            prefix = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid CIDR address: " + s + " (write it as " + example + ")");
        }
        if (prefix < 0 || prefix > max) {
            throw new InvalidArgumentException("invalid CIDR address: " + s + " (the prefix length is 0 to " + max + ")");
        }
        return prefix;
    }

    /** Parses a dotted-quad IPv4 address. */
    public static int parseAddress(String s) {
        String[] parts = s == null ? new String[0] : s.split("\\.", -1);
        if (parts.length != 4 || s.length() > 15) {
            throw new InvalidArgumentException("invalid IPv4 address: " + s);
        }
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new InvalidArgumentException("invalid IPv4 address: " + s);
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw new InvalidArgumentException("invalid IPv4 address: " + s);
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    public static boolean isAddress(String s) {
        try {
            parseAddress(s);
            return true;
        } catch (InvalidArgumentException e) {
            return false;
        }
    }

    public static String format(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** The last address (broadcast). */
    public int last() {
        return base | ~mask(prefix);
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == base;
    }

    public boolean contains(Cidr other) {
        return other.prefix >= prefix && contains(other.base);
    }

    public boolean overlaps(Cidr other) {
        return contains(other.base) || other.contains(base);
    }

    /** The address at {@code offset} from the base (offset 1 = the usual gateway). */
    public int at(long offset) {
        return (int) ((base & 0xffffffffL) + offset);
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
