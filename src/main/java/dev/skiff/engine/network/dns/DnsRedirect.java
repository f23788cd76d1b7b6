package dev.skiff.engine.network.dns;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Docker's way to own 127.0.0.11:53 without binding it: inside the container's network namespace, DNS to
 * 127.0.0.11:53 is redirected (nat OUTPUT, DNAT) to the ports the embedded server really listens on, and its
 * answers leave from port 53 (POSTROUTING, SNAT). Port 53 itself stays free, so a container may run its own DNS
 * server on 0.0.0.0:53. The rules live in chains of their own, refilled on every serve (a daemon restart gets new
 * ports); the jumps into them are added once. One iptables-restore per serve, run from the calling thread, which
 * must be inside the namespace (a child process inherits its thread's network namespace).
 */
final class DnsRedirect {
    static final String OUTPUT_CHAIN = "SKIFF_DNS_OUTPUT";
    static final String POSTROUTING_CHAIN = "SKIFF_DNS_POSTROUTING";
    private static final String IP = "127.0.0.11/32";

    private DnsRedirect() {
    }

    /** The iptables-restore input: both chains flushed and refilled; the jumps too when {@code withJumps}. */
    static String rules(int udpPort, int tcpPort, boolean withJumps) {
        StringBuilder r = new StringBuilder("*nat\n")
                .append(':').append(OUTPUT_CHAIN).append(" - [0:0]\n")
                .append(':').append(POSTROUTING_CHAIN).append(" - [0:0]\n");
        if (withJumps) {
            r.append(outputJump()).append('\n').append(postroutingJump()).append('\n');
        }
        r.append("-A ").append(OUTPUT_CHAIN).append(" -d ").append(IP).append(" -p udp --dport 53 -j DNAT --to-destination 127.0.0.11:")
                .append(udpPort).append('\n')
                .append("-A ").append(OUTPUT_CHAIN).append(" -d ").append(IP).append(" -p tcp --dport 53 -j DNAT --to-destination 127.0.0.11:")
                .append(tcpPort).append('\n')
                .append("-A ").append(POSTROUTING_CHAIN).append(" -s ").append(IP).append(" -p udp --sport ").append(udpPort)
                .append(" -j SNAT --to-source :53\n")
                .append("-A ").append(POSTROUTING_CHAIN).append(" -s ").append(IP).append(" -p tcp --sport ").append(tcpPort)
                .append(" -j SNAT --to-source :53\n")
                .append("COMMIT\n");
        return r.toString();
    }

    static String outputJump() {
        return "-A OUTPUT -d " + IP + " -j " + OUTPUT_CHAIN;
    }

    static String postroutingJump() {
        return "-A POSTROUTING -d " + IP + " -j " + POSTROUTING_CHAIN;
    }

    /**
     * Installs the redirect in the network namespace {@code netns}. iptables runs there through nsenter, started
     * from the daemon's own namespace: a process started by a thread switched into the container's namespace
     * made the JDK's process-reaper thread there too, and that pooled thread pinned the namespace (and its veth)
     * for its 60 s keep-alive, or for as long as later starts kept reusing it.
     *
     * @param fresh the namespace was just made (no jumps yet); otherwise its nat table is read first
     */
    static void install(Path netns, int udpPort, int tcpPort, boolean fresh) throws IOException {
        String enter = "--net=" + netns;
        boolean withJumps = fresh || !run(null, "nsenter", enter, "iptables-save", "-t", "nat").contains(outputJump());
        run(rules(udpPort, tcpPort, withJumps), "nsenter", enter, "iptables-restore", "--noflush");
    }

    private static String run(String stdin, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out.strip()
                    + " (is the iptables package installed?)");
        }
        return out;
    }
}
