package dev.skiff.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Host-side network helpers of the integration tests: free subnets that no host route (and, very likely, no
 * concurrent test) uses, and removal of a test daemon's bridge with its iptables rules.
 */
public final class TestNetworks {
    private TestNetworks() {
    }

    /** A random 10.x.y.0/prefix (prefix 16..24) that overlaps no route of the host. */
    public static String freeSubnet(int prefix) {
        List<long[]> routes = routes();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            long base = (10L << 24) | ((long) r.nextInt(100, 250) << 16) | ((long) r.nextInt(0, 256) << 8);
            long mask = (0xffffffffL << (32 - prefix)) & 0xffffffffL;
            base &= mask;
            long b = base;
            if (routes.stream().noneMatch(rt -> overlaps(b, mask, rt[0], rt[1]))) {
                return ((base >> 24) & 255) + "." + ((base >> 16) & 255) + "." + ((base >> 8) & 255) + "." + (base & 255)
                        + "/" + prefix;
            }
        }
        throw new IllegalStateException("no free 10.x subnet found");
    }

    private static boolean overlaps(long a, long am, long b, long bm) {
        long m = am & bm;
        return (a & m) == (b & m);
    }

    private static List<long[]> routes() {
        List<long[]> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/route")).subList(1, Files.readAllLines(Path.of("/proc/net/route")).size())) {
                String[] f = line.trim().split("\\s+");
                long dest = Integer.toUnsignedLong(Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16)));
                long mask = Integer.toUnsignedLong(Integer.reverseBytes(Integer.parseUnsignedInt(f[7], 16)));
                if (mask != 0) {
                    out.add(new long[] {dest, mask});
                }
            }
        } catch (IOException | RuntimeException e) {
            // no routes known: any subnet will do
        }
        return out;
    }

    /** Deletes a bridge device and every iptables rule naming it (what a test daemon's default network left). */
    public static void removeBridge(String bridge) {
        for (String program : List.of("iptables", "ip6tables")) {
            for (String table : List.of("filter", "nat")) {
                for (String rule : run(program, "-w", "5", "-t", table, "-S").lines().toList()) {
                    if (rule.startsWith("-A ") && List.of(rule.split(" ")).contains(bridge)) {
                        List<String> cmd = new ArrayList<>(List.of(program, "-w", "5", "-t", table, "-D"));
                        cmd.addAll(List.of(rule.substring(3).split(" ")));
                        run(cmd.toArray(String[]::new));
                    }
                }
            }
        }
        run("ip", "link", "del", bridge);
    }

    /** Runs a command, returns its output (stdout and stderr); failures are the caller's to judge. */
    public static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
