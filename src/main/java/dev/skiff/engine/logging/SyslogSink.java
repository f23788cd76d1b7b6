package dev.skiff.engine.logging;

import dev.skiff.errors.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The syslog driver, in dockerd's formats (its srslog formatters): by default {@code <PRI>Mmm dd hh:mm:ss
 * TAG[PID]: LINE}; {@code syslog-format=rfc3164} adds the hostname; {@code rfc5424} and {@code rfc5424micro} are
 * {@code <PRI>1 TIMESTAMP HOSTNAME TAG PID TAG - LINE}. Every message ends in a newline, which frames it on TCP; over
 * tcp+tls rfc5424 messages are octet-counted (RFC 5425). stdout lines have severity info, stderr lines err; the
 * facility is {@code syslog-facility} (daemon by default). The time is the line's own, not the send's.
 */
final class SyslogSink extends TransportSink {
    static final Set<String> SCHEMES = Set.of("tcp", "udp", "tcp+tls", "unix", "unixgram");
    /** Where the host's syslog daemon listens when no address is given (the paths Go's log/syslog tries). */
    static final List<String> LOCAL_SOCKETS = List.of("/dev/log", "/var/run/syslog", "/var/run/log");
    static final Map<String, Integer> FACILITIES = Map.ofEntries(Map.entry("kern", 0), Map.entry("user", 1),
            Map.entry("mail", 2), Map.entry("daemon", 3), Map.entry("auth", 4), Map.entry("syslog", 5),
            Map.entry("lpr", 6), Map.entry("news", 7), Map.entry("uucp", 8), Map.entry("cron", 9),
            Map.entry("authpriv", 10), Map.entry("ftp", 11), Map.entry("local0", 16), Map.entry("local1", 17),
            Map.entry("local2", 18), Map.entry("local3", 19), Map.entry("local4", 20), Map.entry("local5", 21),
            Map.entry("local6", 22), Map.entry("local7", 23));
    private static final int INFO = 6, ERR = 3;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);
    private static final DateTimeFormatter RFC3339_MICRO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX", Locale.ROOT);

    enum Format { UNIX, RFC3164, RFC5424, RFC5424_MICRO }

    private final Format format;
    private final int facility;
    private final LogSource source;
    private final long pid;
    private final boolean octetCounted;
    private final ZoneId zone;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(512);

    SyslogSink(Transport transport, String where, Format format, int facility, LogSource source, long pid,
               boolean octetCounted, ZoneId zone) {
        super(transport, "syslog at " + where);
        this.format = format;
        this.facility = facility;
        this.source = source;
        this.pid = pid;
        this.octetCounted = octetCounted;
        this.zone = zone;
    }

    static Format format(String text) {
        return switch (text) {
            case "" -> Format.UNIX;
            case "rfc3164" -> Format.RFC3164;
            case "rfc5424" -> Format.RFC5424;
            case "rfc5424micro" -> Format.RFC5424_MICRO;
            default -> throw new InvalidArgumentException("Invalid syslog format: " + text
                    + " (use rfc3164, rfc5424 or rfc5424micro, or leave syslog-format out)");
        };
    }

    static int facility(String text) {
        if (text.isEmpty()) {
            return FACILITIES.get("daemon");
        }
        Integer f = FACILITIES.get(text);
        if (f == null) {
            try {
                int n = Integer.parseInt(text);
                if (n >= 0 && n <= 23) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // a name it does not know
            }
            throw new InvalidArgumentException("invalid syslog facility value: " + text + " (use daemon, user, local0 to"
                    + " local7 or another syslog facility)");
        }
        return f;
    }

    /** The host's syslog socket, for a syslog driver given no address. */
    static String localSocket() throws IOException {
        for (String p : LOCAL_SOCKETS) {
            try {
                if (Files.readAttributes(Path.of(p), java.nio.file.attribute.BasicFileAttributes.class).isOther()) {
                    return p; // a socket (not the directory /var/run/log is on some hosts)
                }
            } catch (IOException e) {
                // not there
            }
        }
        throw new IOException("Unix syslog delivery error: no syslog socket on this host (" + String.join(", ",
                LOCAL_SOCKETS) + "); run a syslog daemon or give syslog-address");
    }

    @Override
    public void send(LogMessage m) throws IOException {
        byte[] msg = format(m);
        transport.write(msg, 0, msg.length);
    }

    /** One message, framed. */
    byte[] format(LogMessage m) {
        int pri = facility * 8 + (m.stderr() ? ERR : INFO);
        ZonedDateTime t = Instant.ofEpochSecond(0, m.timeNanos()).atZone(zone);
        String head = switch (format) {
            case UNIX -> "<" + pri + ">" + STAMP.format(t) + " " + source.tag() + "[" + pid + "]: ";
            case RFC3164 -> "<" + pri + ">" + STAMP.format(t) + " " + source.hostname() + " " + source.tag()
                    + "[" + pid + "]: ";
            case RFC5424, RFC5424_MICRO -> "<" + pri + ">1 " + (format == Format.RFC5424 ? RFC3339 : RFC3339_MICRO).format(t)
                    + " " + source.hostname() + " " + source.tag() + " " + pid + " " + source.tag() + " - ";
        };
        buf.reset();
        buf.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        buf.write(m.line(), 0, m.line().length);
        buf.write('\n');
        if (!octetCounted) {
            return buf.toByteArray();
        }
        byte[] body = buf.toByteArray();
        byte[] len = (body.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[len.length + body.length];
        System.arraycopy(len, 0, out, 0, len.length);
        System.arraycopy(body, 0, out, len.length, body.length);
        return out;
    }

}
