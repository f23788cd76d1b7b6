package dev.skiff.engine.logging;

import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The drivers that ship logs away from the host: their options, checked as dockerd checks them when a container is
 * created, and their sinks, opened when it starts.
 */
public final class LogDrivers {
    public static final List<String> NAMES = List.of("fluentd", "gelf", "journald", "syslog");
    /** The local copy every shipping driver keeps (dockerd's dual logging), so docker logs still reads. */
    static final Set<String> CACHE_OPTS = Set.of("cache-disabled", "cache-max-size", "cache-max-file", "cache-compress");
    private static final Set<String> ATTRIBUTE_OPTS = Set.of("env", "env-regex", "labels", "labels-regex", "tag");
    private static final Map<String, Set<String>> OPTS = Map.of(
            "syslog", Set.of("syslog-address", "syslog-facility", "syslog-tls-ca-cert", "syslog-tls-cert",
                    "syslog-tls-key", "syslog-tls-skip-verify", "syslog-format"),
            "journald", Set.of(),
            "gelf", Set.of("gelf-address", "gelf-compression-level", "gelf-compression-type", "gelf-tcp-max-reconnect",
                    "gelf-tcp-reconnect-delay"),
            "fluentd", Set.of("fluentd-address", "fluentd-async", "fluentd-async-connect", "fluentd-buffer-limit",
                    "fluentd-retry-wait", "fluentd-max-retries", "fluentd-sub-second-precision", "fluentd-request-ack",
                    "fluentd-write-timeout"));

    private LogDrivers() {
    }

    public static boolean ships(String driver) {
        return OPTS.containsKey(driver);
    }

    /** Whether {@code key} is one of the driver's options (the generic mode and max-buffer-size aside). */
    public static boolean knows(String driver, String key) {
        return OPTS.get(driver).contains(key) || ATTRIBUTE_OPTS.contains(key) || CACHE_OPTS.contains(key);
    }

    /** The checks dockerd makes at create: a bad value fails the create, naming the option. */
    public static void validate(String driver, Map<String, String> opts) {
        for (String key : opts.keySet()) {
            if (!knows(driver, key) && !key.equals("mode") && !key.equals("max-buffer-size")) {
                throw new InvalidArgumentException("unknown log opt '" + key + "' for " + driver + " log driver");
            }
        }
        for (String b : List.of("cache-disabled", "cache-compress", "syslog-tls-skip-verify", "fluentd-async",
                "fluentd-async-connect", "fluentd-sub-second-precision", "fluentd-request-ack")) {
            bool(opts, b);
        }
        switch (driver) {
            case "syslog" -> {
                String address = opts.getOrDefault("syslog-address", "");
                if (!address.isEmpty()) {
                    Endpoint e = Endpoint.parse(address, "syslog-address", SyslogSink.SCHEMES, 514);
                    if (e.isUnix() && !Files.exists(Path.of(e.path()))) {
                        throw new InvalidArgumentException("syslog-address " + address + ": no such socket " + e.path()
                                + " (start the syslog daemon, or give its address)");
                    }
                }
                SyslogSink.facility(opts.getOrDefault("syslog-facility", ""));
                SyslogSink.format(opts.getOrDefault("syslog-format", ""));
            }
            case "gelf" -> {
                String address = opts.getOrDefault("gelf-address", "");
                if (address.isEmpty()) {
                    throw new InvalidArgumentException("gelf-address is a required parameter (--log-opt"
                            + " gelf-address=udp://HOST:12201)");
                }
                Endpoint e = Endpoint.parse(address, "gelf-address", Set.of("udp", "tcp"), 0);
                if (e.scheme().equals("udp")) {
                    for (String k : List.of("gelf-tcp-max-reconnect", "gelf-tcp-reconnect-delay")) {
                        if (opts.containsKey(k)) {
                            throw new InvalidArgumentException(k + " is only valid for TCP");
                        }
                    }
                } else {
                    for (String k : List.of("gelf-compression-level", "gelf-compression-type")) {
                        if (opts.containsKey(k)) {
                            throw new InvalidArgumentException(k + " is only valid for UDP");
                        }
                    }
                }
                GelfSink.compression(opts.getOrDefault("gelf-compression-type", ""));
                int level = integer(opts, "gelf-compression-level", -1);
                if (level < -1 || level > 9) {
                    throw new InvalidArgumentException("gelf-compression-level must be -1 to 9, not " + level);
                }
                integer(opts, "gelf-tcp-max-reconnect", 3);
                integer(opts, "gelf-tcp-reconnect-delay", 1);
            }
            case "fluentd" -> {
                fluentdEndpoint(opts);
                integer(opts, "fluentd-max-retries", 0);
                integer(opts, "fluentd-buffer-limit", 0);
            }
            default -> {
            }
        }
    }

    /**
     * Opens the driver's sink, connecting now unless the driver defers it (fluentd-async): a destination that is
     * not there fails the container's start, as with dockerd.
     */
    public static LogSink open(String driver, Map<String, String> opts, LogSource source) throws IOException {
        return switch (driver) {
            case "syslog" -> {
                String address = opts.getOrDefault("syslog-address", "");
                Endpoint e = address.isEmpty() ? new Endpoint("unixgram", "", 0, SyslogSink.localSocket())
                        : Endpoint.parse(address, "syslog-address", SyslogSink.SCHEMES, 514);
                boolean tls = e.scheme().equals("tcp+tls");
                SyslogSink.Format format = SyslogSink.format(opts.getOrDefault("syslog-format", ""));
                SyslogSink s = new SyslogSink(Transport.of(e, tls ? syslogTls(opts) : null), e.toString(), format,
                        SyslogSink.facility(opts.getOrDefault("syslog-facility", "")), source, ProcessHandle.current().pid(),
                        tls && (format == SyslogSink.Format.RFC5424 || format == SyslogSink.Format.RFC5424_MICRO),
                        ZoneId.systemDefault());
                yield connected(s);
            }
            case "journald" -> {
                String socket = JournaldSink.socketPath();
                JournaldSink s = new JournaldSink(new Transport.UnixDatagram(socket), socket, source);
                try {
                    s.connect(); // its message says what is wrong: no journald here
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
                yield s;
            }
            case "gelf" -> {
                Endpoint e = Endpoint.parse(opts.get("gelf-address"), "gelf-address", Set.of("udp", "tcp"), 0);
                GelfSink s = new GelfSink(Transport.of(e, null),
                        e, GelfSink.compression(opts.getOrDefault("gelf-compression-type", "")),
                        integer(opts, "gelf-compression-level", -1), source);
                yield connected(s);
            }
            case "fluentd" -> {
                Endpoint e = fluentdEndpoint(opts);
                FluentdSink s = new FluentdSink(Transport.of(e, null), e, bool(opts, "fluentd-sub-second-precision"),
                        bool(opts, "fluentd-request-ack"), source);
                if (bool(opts, "fluentd-async") || bool(opts, "fluentd-async-connect")) {
                    yield s; // connects when the first line goes out
                }
                yield connected(s);
            }
            default -> throw new IllegalArgumentException("not a shipping log driver: " + driver);
        };
    }

    private static LogSink connected(TransportSink sink) throws IOException {
        try {
            sink.connect();
            return sink;
        } catch (IOException e) {
            sink.close();
            throw new IOException("cannot reach " + sink.describe() + ": " + e.getMessage(), e);
        }
    }

    /** fluentd-address: host:port, tcp://host:port or unix:///path; localhost:24224 when left out. */
    static Endpoint fluentdEndpoint(Map<String, String> opts) {
        String address = opts.getOrDefault("fluentd-address", "");
        if (address.isEmpty()) {
            return new Endpoint("tcp", "127.0.0.1", FluentdSink.DEFAULT_PORT, "");
        }
        if (!address.contains("://")) {
            address = "tcp://" + address;
        }
        return Endpoint.parse(address, "fluentd-address", Set.of("tcp", "unix"), FluentdSink.DEFAULT_PORT);
    }

    private static SSLContext syslogTls(Map<String, String> opts) throws IOException {
        String ca = opts.getOrDefault("syslog-tls-ca-cert", "");
        String cert = opts.getOrDefault("syslog-tls-cert", "");
        String key = opts.getOrDefault("syslog-tls-key", "");
        try {
            return dev.skiff.sys.Pem.clientContext(ca.isEmpty() ? List.of() : List.of(Path.of(ca)),
                    cert.isEmpty() ? null : Path.of(cert), key.isEmpty() ? null : Path.of(key),
                    bool(opts, "syslog-tls-skip-verify"));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the syslog TLS files (" + ca + " " + cert + " " + key + "): "
                    + e.getMessage(), e);
        }
    }

    static boolean bool(Map<String, String> opts, String key) {
        String v = opts.getOrDefault(key, "");
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "" , "false", "0", "f" -> false;
            case "true", "1", "t" -> true;
            default -> throw new InvalidArgumentException("invalid value for " + key + ": " + v + " (use true or false)");
        };
    }

    private static int integer(Map<String, String> opts, String key, int dflt) {
        String v = opts.getOrDefault(key, "");
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid value for " + key + ": " + v + " (use a whole number)");
        }
    }
}
