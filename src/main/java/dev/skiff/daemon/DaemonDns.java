package dev.skiff.daemon;

import dev.skiff.engine.EtcFiles;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The daemon's --dns, --dns-search and --dns-opt (daemon.json dns, dns-search, dns-opts): the host's resolv.conf with
 * them over it is written under the exec root at start, and containers that give no DNS settings of their own, the
 * embedded DNS server's upstreams and build steps start from it where they would start from the host's file.
 */
final class DaemonDns {
    private static final Path HOST = Path.of("/etc/resolv.conf");

    private DaemonDns() {
    }

    /** The file containers start from: the host's, or the daemon's version of it when any setting is given. */
    static Path resolvConf(DaemonOptions options) {
        if (options.dns().isEmpty() && options.dnsSearch().isEmpty() && options.dnsOptions().isEmpty()) {
            return HOST;
        }
        for (String s : options.dns()) {
            // a dotted quad or an IPv6 literal, as dockerd's net.ParseIP: not inet_aton's "10" or "1.2"
            if (!dev.skiff.sys.NatPorts.isIp(s)) {
                throw new InvalidArgumentException("invalid --dns " + s + ": give a DNS server's IP address");
            }
        }
        Path file = options.execRoot().toAbsolutePath().resolve("resolv.conf");
        try {
            AtomicFiles.replace(file, EtcFiles.withDaemonDns(HOST, new EtcFiles.DnsSettings(options.dns(),
                    options.dnsSearch(), options.dnsOptions())).getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the daemon's resolv.conf " + file, e);
        }
        return file;
    }
}
