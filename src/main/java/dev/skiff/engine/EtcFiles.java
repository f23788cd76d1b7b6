package dev.skiff.engine;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The container's /etc/hostname, /etc/hosts and /etc/resolv.conf, written in its directory and bind-mounted
 * over the image's, as Docker does.
 */
public record EtcFiles(Path hostname, Path hosts, Path resolvConf) {
    /** The embedded DNS server's address inside every container on a user-defined network. */
    public static final String EMBEDDED_DNS = "127.0.0.11";

    /** The files' mode: the container's users all read them. */
    public static final String READABLE = "rw-r--r--";

    /** The files by the container path each is mounted at, in the order they are mounted. */
    public Map<String, Path> byContainerPath() {
        Map<String, Path> out = new java.util.LinkedHashMap<>();
        out.put("/etc/resolv.conf", resolvConf);
        out.put("/etc/hostname", hostname);
        out.put("/etc/hosts", hosts);
        return out;
    }

    /** Gives the files that exist {@link #READABLE}, as they are written now (a missing or unreadable one is left). */
    void makeReadable() {
        for (Path p : List.of(hostname, hosts, resolvConf)) {
            try {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(READABLE));
                }
            } catch (IOException | RuntimeException e) {
                // the container keeps what it had
            }
        }
    }

    public static EtcFiles in(Path containerDir) {
        return new EtcFiles(containerDir.resolve("hostname"), containerDir.resolve("hosts"),
                containerDir.resolve("resolv.conf"));
    }

    /**
     * HostConfig.Dns, DnsSearch and DnsOptions: each replaces the host file's lines of its kind when not empty.
     */
    public record DnsSettings(List<String> servers, List<String> search, List<String> options) {
        public static final DnsSettings NONE = new DnsSettings(List.of(), List.of(), List.of());
    }

    /**
     * Writes the three files.
     *
     * @param ip          the container's address for the hosts entry, or null when it has none (network none)
     * @param ip6         its IPv6 address for a second hosts entry, or "" when its network has no IPv6
     * @param hostResolv  the host's resolv.conf; localhost nameservers are dropped (they mean nothing in another
     *                    network namespace) and, when none remain, Google's public servers are used like Docker
     * @param hostGateway what "host-gateway" in --add-host stands for (the default bridge's gateway), or ""
     * @param embeddedDns point resolv.conf at the embedded DNS server (user-defined networks), as Docker does
     */
    public void write(String host, String domain, String ip, String ip6, Path hostResolv, List<String> extraHosts,
                      DnsSettings dns, String hostGateway, boolean embeddedDns) throws IOException {
        // 0644, as dockerd's: every user in the container reads them (a name lookup as nobody reads resolv.conf)
        AtomicFiles.replace(hostname, (host + "\n").getBytes(StandardCharsets.UTF_8), READABLE);
        AtomicFiles.replace(hosts, hostsFile(host, domain, ip, ip6, extraHosts, hostGateway).getBytes(StandardCharsets.UTF_8),
                READABLE);
        AtomicFiles.replace(resolvConf, resolv(hostResolv, dns, embeddedDns).getBytes(StandardCharsets.UTF_8), READABLE);
    }

    /** Docker's /etc/hosts: the localhost lines, then --add-host entries, then the container's own address. */
    static String hostsFile(String host, String domain, String ip, List<String> extraHosts, String hostGateway) {
        return hostsFile(host, domain, ip, "", extraHosts, hostGateway);
    }

    /** As above, with the container's IPv6 address ({@code ip6}, or "") on a line of its own after the IPv4 one. */
    static String hostsFile(String host, String domain, String ip, String ip6, List<String> extraHosts,
                            String hostGateway) {
        String fqdn = domain == null || domain.isEmpty() ? host : host + "." + domain;
        StringBuilder h = new StringBuilder()
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::\tip6-localnet\n")
                .append("ff00::\tip6-mcastprefix\n")
                .append("ff02::1\tip6-allnodes\n")
                .append("ff02::2\tip6-allrouters\n");
        for (String extra : extraHosts) {
            String[] nameIp = resolveExtraHost(extra, () -> hostGateway);
            h.append(nameIp[1]).append('\t').append(nameIp[0]).append('\n');
        }
        String names = fqdn.equals(host) ? host : fqdn + " " + host;
        if (ip != null && !ip.isEmpty()) {
            h.append(ip).append('\t').append(names).append('\n');
        }
        if (ip6 != null && !ip6.isEmpty()) {
            h.append(ip6).append('\t').append(names).append('\n');
        }
        return h.toString();
    }

    /**
     * {@link #parseExtraHost}, "host-gateway" being {@code hostGateway}'s answer (the default bridge's gateway; asked
     * only when an entry names it): {name, ip}.
     */
    public static String[] resolveExtraHost(String extra, java.util.function.Supplier<String> hostGateway) {
        String[] nameIp = parseExtraHost(extra);
        if (nameIp[1].equals("host-gateway")) {
            String gateway = hostGateway.get();
            if (gateway == null || gateway.isEmpty()) {
                throw new InvalidArgumentException("unable to derive the IP value for host-gateway (the default bridge network has no gateway)");
            }
            nameIp[1] = gateway;
        }
        return nameIp;
    }

    /**
     * Splits an --add-host entry, "name:ip" or "name=ip" (IPv6 may be bracketed): {name, ip}. Docker's checks:
     * a name and an address (or host-gateway) are both required.
     */
    public static String[] parseExtraHost(String extra) {
        if (extra == null || extra.length() > 1024) {
            throw new InvalidArgumentException("invalid IP address in add-host: " + extra);
        }
        int sep = extra.indexOf('=');
        if (sep < 0) {
            sep = extra.indexOf(':');
        }
        if (sep <= 0 || sep == extra.length() - 1) {
            throw new InvalidArgumentException("bad format for add-host: \"" + extra + "\" (write NAME:IP or NAME=IP)");
        }
        String name = extra.substring(0, sep);
        String addr = extra.substring(sep + 1);
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        if (!addr.equals("host-gateway") && !addr.matches("[0-9a-fA-F.:]+")) {
            throw new InvalidArgumentException("invalid IP address in add-host: \"" + addr + "\"");
        }
        return new String[] {name, addr};
    }

    /** systemd-resolved's list of the real upstream servers, used when the host's file names only its stub. */
    private static final Path SYSTEMD_RESOLV = Path.of("/run/systemd/resolve/resolv.conf");

    /** The resolv.conf of a namespace on a bridge: the host's file without loopback servers (Google's when none remain). */
    public static String bridgeResolv(Path hostResolv) throws IOException {
        return resolv(hostResolv, DnsSettings.NONE, false);
    }

    /** The resolv.conf of a namespace served by the embedded DNS (a user-defined network): 127.0.0.11 and ndots:0. */
    public static String embeddedResolv(Path hostResolv) throws IOException {
        return resolv(hostResolv, DnsSettings.NONE, true);
    }

    static String resolv(Path hostResolv, DnsSettings dns, boolean embeddedDns) throws IOException {
        List<String> lines = withoutLoopback(hostResolv);
        if (!hasNameserver(lines) && Files.isReadable(SYSTEMD_RESOLV) && !hostResolv.equals(SYSTEMD_RESOLV)) {
            List<String> upstream = withoutLoopback(SYSTEMD_RESOLV);
            if (hasNameserver(upstream)) {
                lines = upstream;
            }
        }
        return render(lines, dns, embeddedDns);
    }

    /**
     * The host's resolv.conf with the daemon's --dns, --dns-search and --dns-opt over it: what containers that give
     * none of their own start from, as the host's file otherwise (dockerd's daemon-wide DNS settings).
     */
    public static String withDaemonDns(Path hostResolv, DnsSettings daemon) throws IOException {
        return render(Files.isReadable(hostResolv) ? Files.readAllLines(hostResolv) : List.of(), daemon, false);
    }

    /** Applies --dns, --dns-search and --dns-option over the host's lines; the embedded server replaces servers. */
    static String render(List<String> hostLines, DnsSettings dns, boolean embeddedDns) {
        List<String> out = new ArrayList<>();
        for (String line : hostLines) {
            String t = line.trim();
            if (t.startsWith("nameserver") && (embeddedDns || !dns.servers().isEmpty())) {
                continue;
            }
            if ((t.startsWith("search") || t.startsWith("domain")) && !dns.search().isEmpty()) {
                continue;
            }
            if (t.startsWith("options") && (!dns.options().isEmpty() || embeddedDns)) {
                continue;
            }
            out.add(line);
        }
        if (embeddedDns) {
            out.add("nameserver " + EMBEDDED_DNS);
        } else {
            dns.servers().forEach(s -> out.add("nameserver " + s));
        }
        if (!dns.search().isEmpty()) {
            out.add("search " + String.join(" ", dns.search()));
        }
        List<String> options = new ArrayList<>(dns.options());
        if (embeddedDns) {
            if (options.isEmpty()) {
                hostLines.stream().map(String::trim).filter(l -> l.startsWith("options"))
                        .forEach(l -> options.addAll(List.of(l.substring("options".length()).trim().split("\\s+"))));
            }
            if (options.stream().noneMatch(o -> o.startsWith("ndots:"))) {
                options.add("ndots:0");
            }
            options.removeIf(String::isEmpty);
        }
        if (!options.isEmpty()) {
            out.add("options " + String.join(" ", options));
        }
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

    /** The host's upstream name servers (loopback ones dropped), for the embedded DNS server to forward to. */
    public static List<String> hostNameservers(Path hostResolv) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : withoutLoopback(hostResolv)) {
            String t = line.trim();
            if (t.startsWith("nameserver")) {
                out.add(t.substring("nameserver".length()).trim());
            }
        }
        return out;
    }

    private static boolean hasNameserver(List<String> lines) {
        return lines.stream().anyMatch(l -> l.trim().startsWith("nameserver"));
    }
}
