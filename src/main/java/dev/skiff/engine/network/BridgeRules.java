package dev.skiff.engine.network;

import dev.skiff.errors.UnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iptables rules of a bridge network, one set per network rather than per container (so a start execs no
 * iptables at all): isolation in the filter chain SKIFF-ISOLATION, jumped to first from FORWARD, and Docker's
 * masquerade rule for outbound traffic. A bridge network accepts new forwarded connections only from itself or
 * through a published port (conntrack state DNAT); an internal network forwards nothing in or out.
 */
final class BridgeRules {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeRules.class);
    static final String CHAIN = "SKIFF-ISOLATION";
    static final String ICC_OPTION = "com.docker.network.bridge.enable_icc";
    static final String MASQUERADE_OPTION = "com.docker.network.bridge.enable_ip_masquerade";
    private static final java.nio.file.Path BRIDGE_NF = java.nio.file.Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");

    /** iptables' exit status when it could not get the xtables lock in time (or another resource). */
    static final int RESOURCE_PROBLEM = 4;

    private final String iptables;
    /** The IPv6 twin of {@link #iptables}: the same program's ip6tables beside it. */
    private final String ip6tables;

    BridgeRules(String iptables) {
        this.iptables = iptables;
        this.ip6tables = iptables.replaceFirst("iptables(?=[^/]*$)", "ip6tables");
    }

    /** One rule: table, whether it goes to the top of its chain, and its spec after the chain name. */
    record Rule(String table, String chain, boolean first, List<String> spec) {
    }

    /** The rules of a network, in the order they are put in place (inserted rules end up in reverse). */
    static List<Rule> rules(Network n) {
        return rules(n, n.subnet());
    }

    /**
     * The ip6tables rules of a network with IPv6: the same isolation, and masquerading of its IPv6 subnet, as
     * dockerd's default NAT gateway mode for IPv6 does.
     */
    static List<Rule> rules6(Network n) {
        return n.enableIpv6() ? rules(n, n.ipv6().subnet()) : List.of();
    }

    private static List<Rule> rules(Network n, String subnet) {
        String b = n.bridge();
        List<Rule> out = new ArrayList<>();
        if (n.internal()) {
            out.add(new Rule("filter", CHAIN, true, List.of("-o", b, "!", "-i", b, "-j", "DROP")));
            out.add(new Rule("filter", CHAIN, true, List.of("-i", b, "!", "-o", b, "-j", "DROP")));
            return out;
        }
        out.add(new Rule("filter", CHAIN, true, List.of("-o", b, "-j", "DROP")));
        out.add(new Rule("filter", CHAIN, true, List.of("-o", b, "-m", "conntrack", "--ctstate",
                "RELATED,ESTABLISHED,DNAT", "-j", "ACCEPT")));
        // com.docker.network.bridge.enable_icc=false: containers of the network do not reach each other (the bridge's
        // own frames pass iptables through br_netfilter, see install)
        out.add(new Rule("filter", CHAIN, true, List.of("-i", b, "-o", b, "-j", icc(n) ? "ACCEPT" : "DROP")));
        out.add(new Rule("filter", CHAIN, false, List.of("-i", b, "-j", "ACCEPT")));
        if (!"false".equals(n.options().get(MASQUERADE_OPTION))) {
            out.add(new Rule("nat", "POSTROUTING", false, List.of("-s", subnet, "!", "-o", b, "-j", "MASQUERADE")));
        }
        return out;
    }

    private static boolean icc(Network n) {
        return !"false".equals(n.options().get(ICC_OPTION));
    }

    void install(Network n) {
        if (!icc(n)) {
            bridgeNetfilter(n);
        }
        install(iptables, rules(n));
        if (n.enableIpv6()) {
            install(ip6tables, rules6(n));
        }
    }

    private void install(String program, List<Rule> rules) {
        ensureChain(program);
        for (Rule r : rules) {
            if (!exists(program, r)) {
                List<String> cmd = new ArrayList<>(List.of("-t", r.table(), r.first() ? "-I" : "-A", r.chain()));
                if (r.first()) {
                    cmd.add("1");
                }
                cmd.addAll(r.spec());
                run(program, cmd, true);
            }
        }
    }

    void remove(Network n) {
        remove(iptables, n, rules(n));
        removeIpv6(n);
    }

    /** The ip6tables rules of a network with IPv6 (none otherwise). */
    void removeIpv6(Network n) {
        if (n.enableIpv6()) {
            remove(ip6tables, n, rules6(n));
        }
    }

    private void remove(String program, Network n, List<Rule> rules) {
        List<Rule> all = new ArrayList<>(rules);
        // the bridge-to-itself rule of the other icc setting: a network made with enable_icc=false by an earlier
        // version got ACCEPT there, under the DROP of this one
        all.add(new Rule("filter", CHAIN, true, List.of("-i", n.bridge(), "-o", n.bridge(), "-j",
                icc(n) ? "DROP" : "ACCEPT")));
        for (Rule r : all) {
            while (exists(program, r)) {
                List<String> cmd = new ArrayList<>(List.of("-t", r.table(), "-D", r.chain()));
                cmd.addAll(r.spec());
                if (!run(program, cmd, false)) {
                    break;
                }
            }
        }
    }

    /**
     * Frames between two ports of one bridge reach iptables only with bridge-nf-call-iptables on: dockerd turns it
     * on for a network without inter-container communication, and so does Skiff (it is host-wide, and on already
     * wherever dockerd ran such a network). A host without br_netfilter cannot keep the promise: say so.
     */
    private static void bridgeNetfilter(Network n) {
        try {
            if (!java.nio.file.Files.exists(BRIDGE_NF)) {
                new ProcessBuilder("modprobe", "br_netfilter").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
            }
            if (!java.nio.file.Files.readString(BRIDGE_NF).trim().equals("1")) {
                java.nio.file.Files.writeString(BRIDGE_NF, "1");
                LOG.info("turned on {} for network {} ({}=false)", BRIDGE_NF, n.name(), ICC_OPTION);
            }
        } catch (IOException e) {
            throw new UnavailableException("network " + n.name() + " has " + ICC_OPTION + "=false, but bridged traffic"
                    + " cannot be filtered on this host (" + BRIDGE_NF + ": " + e.getMessage() + "; load br_netfilter)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while loading br_netfilter", e);
        }
    }

    private void ensureChain(String program) {
        if (!run(program, List.of("-t", "filter", "-n", "-L", CHAIN), false)) {
            run(program, List.of("-t", "filter", "-N", CHAIN), false); // a concurrent daemon may have made it meanwhile
        }
        if (!run(program, List.of("-t", "filter", "-C", "FORWARD", "-j", CHAIN), false)) {
            run(program, List.of("-t", "filter", "-I", "FORWARD", "1", "-j", CHAIN), true);
        }
    }

    private boolean exists(String program, Rule r) {
        List<String> cmd = new ArrayList<>(List.of("-t", r.table(), "-C", r.chain()));
        cmd.addAll(r.spec());
        return run(program, cmd, false);
    }

    /** Runs iptables or ip6tables; with {@code required} a failure throws, otherwise it is the answer (false). */
    private boolean run(String iptables, List<String> args, boolean required) {
        try {
            Result r = exec(iptables, args);
            if (r.status() == RESOURCE_PROBLEM || (r.status() != 0 && required)) {
                // 4: the xtables lock stayed taken (another program changing the rules for 5 s), not an answer: a
                // check read as "no such rule" made a removal leave the rule behind, or an install add it twice
                throw new UnavailableException("iptables failed: " + iptables + " " + String.join(" ", args) + ": "
                        + r.output().trim()
                        + (r.status() == RESOURCE_PROBLEM ? " (another program holds the xtables lock; try again)" : ""));
            }
            return r.status() == 0;
        } catch (IOException e) {
            if (required) {
                throw new UnavailableException("cannot run " + iptables + ": " + e.getMessage()
                        + " (install iptables: bin/install-deps)", e);
            }
            LOG.debug("iptables: {}", e.toString());
            return false;
        }
    }

    /** What one run of iptables (or ip6tables) said: its exit status and its output. */
    record Result(int status, String output) {
    }

    /**
     * Runs {@code program -w 5 args} (waiting up to 5 s for the xtables lock); {@link IOException} when it cannot be
     * started, {@link UnavailableException} when it does not finish in 30 s or the wait is interrupted.
     */
    static Result exec(String program, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(program, "-w", "5"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new UnavailableException("iptables did not finish in 30s: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while running iptables", e);
        }
        return new Result(p.exitValue(), out);
    }
}
