package dev.skiff.cli.commands.network;

import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.IpLiterals;
import dev.skiff.cli.commands.KeyValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * network create's --subnet, --ip-range, --gateway and --aux-address into IPAM.Config, as the docker CLI's
 * consolidateIpam pairs them: each range, gateway and aux address goes with the subnet that contains it, one range
 * and one gateway per subnet, and every refusal in its words (exit 1).
 */
final class IpamFlags {
    private IpamFlags() {
    }

    static List<Map<String, Object>> consolidate(List<String> subnets, List<String> ranges, List<String> gateways,
                                                 List<String> auxAddresses) {
        if (subnets.size() < ranges.size() || subnets.size() < gateways.size()) {
            throw fail("every ip-range or gateway must have a corresponding subnet");
        }
        Map<String, Map<String, Object>> pools = new LinkedHashMap<>();
        for (String s : subnets) {
            for (String k : pools.keySet()) {
                if (matches(s, k) || matches(k, s)) {
                    throw fail("multiple overlapping subnet configuration is not supported");
                }
            }
            Map<String, Object> pool = new LinkedHashMap<>();
            pool.put("Subnet", s);
            pools.put(s, pool);
        }
        place(subnets, ranges, pools, "IPRange", "range", "cannot configure multiple ranges (%s, %s) on the same subnet (%s)");
        place(subnets, gateways, pools, "Gateway", "gateway", "cannot configure multiple gateways (%s, %s) for the same subnet (%s)");
        for (Map.Entry<String, String> aux : KeyValues.parse(auxAddresses).entrySet()) {
            boolean match = false;
            for (String s : subnets) {
                if (matches(s, aux.getValue())) {
                    @SuppressWarnings("unchecked")
                    Map<String, String> addresses = (Map<String, String>) pools.get(s)
                            .computeIfAbsent("AuxiliaryAddresses", k -> new LinkedHashMap<String, String>());
                    addresses.put(aux.getKey(), aux.getValue());
                    match = true;
                }
            }
            if (!match) {
                throw fail("no matching subnet for aux-address " + aux.getValue());
            }
        }
        return new ArrayList<>(pools.values());
    }

    private static void place(List<String> subnets, List<String> values, Map<String, Map<String, Object>> pools, String field,
                              String what, String twice) {
        for (String v : values) {
            boolean match = false;
            for (String s : subnets) {
                if (!matches(s, v)) {
                    continue;
                }
                Object already = pools.get(s).get(field);
                if (already != null) {
                    throw fail(String.format(twice, v, already, s));
                }
                pools.get(s).put(field, v);
                match = true;
            }
            if (!match) {
                throw fail("no matching subnet for " + what + " " + v);
            }
        }
    }

    /** docker's subnetMatches: whether the subnet holds the address (or the first address of a CIDR). */
    static boolean matches(String subnet, String data) {
        byte[][] s = cidr(subnet, "invalid subnet: invalid CIDR address: " + subnet);
        byte[] ip;
        if (data.contains("/")) {
            ip = cidr(data, "invalid CIDR address: " + data)[0];
        } else {
            ip = IpLiterals.parse(data);
            if (ip == null) {
                return false;
            }
        }
        if (ip.length != s[0].length) {
            return false;
        }
        int prefix = s[1][0] & 0xff;
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((ip[bit / 8] & mask) != (s[0][bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** [address bytes, {prefix length}] of ADDR/PREFIX. */
    private static byte[][] cidr(String text, String error) {
        int slash = text.indexOf('/');
        byte[] ip = slash < 0 ? null : IpLiterals.parse(text.substring(0, slash));
        int prefix;
        try {
            prefix = slash < 0 ? -1 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (ip == null || prefix < 0 || prefix > ip.length * 8) {
            throw fail(error);
        }
        return new byte[][] {ip, {(byte) prefix}};
    }

    private static CliFailure fail(String message) {
        return CliFailure.of(message, 1);
    }
}
