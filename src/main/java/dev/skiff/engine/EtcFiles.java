package dev.skiff.engine;

import dev.skiff.sys.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's /etc/hostname, /etc/hosts and /etc/resolv.conf, written in its directory and bind-mounted
 * over the image's, as Docker does.
 */
public record EtcFiles(Path hostname, Path hosts, Path resolvConf) {
    public static EtcFiles in(Path containerDir) {
        return new EtcFiles(containerDir.resolve("hostname"), containerDir.resolve("hosts"),
                containerDir.resolve("resolv.conf"));
    }

    /**
     * Writes the three files.
     *
     * @param ip        the container's address for the hosts entry, or null when it has none (network none)
     * @param hostResolv the host's resolv.conf; localhost nameservers are dropped (they mean nothing in another
     *                   network namespace) and, when none remain, Google's public servers are used like Docker
     */
    public void write(String host, String domain, String ip, Path hostResolv, List<String> extraHosts) throws IOException {
        String fqdn = domain == null || domain.isEmpty() ? host : host + "." + domain;
        AtomicFiles.replace(hostname, (host + "\n").getBytes(StandardCharsets.UTF_8));
        StringBuilder h = new StringBuilder()
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::\tip6-localnet\n")
                .append("ff00::\tip6-mcastprefix\n")
                .append("ff02::1\tip6-allnodes\n")
                .append("ff02::2\tip6-allrouters\n");
        for (String extra : extraHosts) {
            int colon = extra.indexOf(':');
            if (colon > 0) {
                h.append(extra.substring(colon + 1)).append('\t').append(extra, 0, colon).append('\n');
            }
        }
        if (ip != null) {
            h.append(ip).append('\t').append(fqdn.equals(host) ? host : fqdn + " " + host).append('\n');
        }
        AtomicFiles.replace(hosts, h.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.replace(resolvConf, resolv(hostResolv).getBytes(StandardCharsets.UTF_8));
    }

    /** systemd-resolved's list of the real upstream servers, used when the host's file names only its stub. */
    private static final Path SYSTEMD_RESOLV = Path.of("/run/systemd/resolve/resolv.conf");

    static String resolv(Path hostResolv) throws IOException {
        List<String> lines = withoutLoopback(hostResolv);
        if (!hasNameserver(lines) && Files.isReadable(SYSTEMD_RESOLV) && !hostResolv.equals(SYSTEMD_RESOLV)) {
            List<String> upstream = withoutLoopback(SYSTEMD_RESOLV);
            if (hasNameserver(upstream)) {
                lines = upstream;
            }
        }
        List<String> out = new ArrayList<>(lines);
        if (!hasNameserver(out)) {
            out.add("nameserver 8.8.8.8");
            out.add("nameserver 8.8.4.4");
        }
        return String.join("\n", out) + "\n";
    }

    /** The file's lines minus nameservers on loopback: they mean nothing in another network namespace. */
    private static List<String> withoutLoopback(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isReadable(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            if (t.startsWith("nameserver")) {
                String addr = t.substring("nameserver".length()).trim();
                if (addr.startsWith("127.") || addr.equals("::1")) {
                    continue;
                }
            }
            out.add(line);
        }
        return out;
    }

    private static boolean hasNameserver(List<String> lines) {
        return lines.stream().anyMatch(l -> l.trim().startsWith("nameserver"));
    }
}
