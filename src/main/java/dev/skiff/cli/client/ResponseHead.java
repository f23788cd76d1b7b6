package dev.skiff.cli.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The status line and headers of a response. */
record ResponseHead(int status, String reason, Map<String, List<String>> headers) {
    static ResponseHead read(SocketConnection conn) throws IOException {
        String statusLine = conn.readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("the daemon sent a malformed status line: \"" + statusLine + "\"");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("the daemon sent a malformed status line: \"" + statusLine + "\"");
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line;
        while (!(line = conn.readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }
        return new ResponseHead(status, parts.length > 2 ? parts[2] : "", headers);
    }

    Optional<String> header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    boolean keepAlive() {
        return header("Connection").map(c -> !c.equalsIgnoreCase("close")).orElse(true);
    }

    /** The body framing RFC 9112 prescribes for this response. */
    BodyInputStream body(SocketConnection conn, String method) throws IOException {
        if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
            return BodyInputStream.empty(conn);
        }
        if (header("Transfer-Encoding").map(t -> t.toLowerCase().contains("chunked")).orElse(false)) {
            return new BodyInputStream.Chunked(conn);
        }
        Optional<String> length = header("Content-Length");
        if (length.isPresent()) {
            try {
                return new BodyInputStream.Fixed(conn, Long.parseLong(length.get().trim()));
            } catch (NumberFormatException e) {
                throw new IOException("the daemon sent a malformed Content-Length: " + length.get());
            }
        }
        return new BodyInputStream.UntilClose(conn);
    }
}
