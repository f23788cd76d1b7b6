package dev.skiff.engine.network.ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where random host ports come from: the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range), as
 * docker's port allocator reads it; docker's own default when the file cannot be read or makes no sense.
 */
public record EphemeralRange(int first, int last) {
    public static final Path KERNEL_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** docker's portallocator.DefaultPortRangeStart/End. */
    static final EphemeralRange DOCKER_DEFAULT = new EphemeralRange(49153, 60999);

    public EphemeralRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("invalid ephemeral port range " + first + "-" + last);
        }
    }

    public static EphemeralRange fromKernel() {
        return from(KERNEL_FILE);
    }

    static EphemeralRange from(Path file) {
        try {
            // not Files.readString: it sizes its read by the file's length, which procfs reports as 0
            return parse(String.join("\n", Files.readAllLines(file)));
        } catch (IOException | IllegalArgumentException e) {
            return DOCKER_DEFAULT;
        }
    }

    /** "32768\t60999\n" → 32768-60999. */
    static EphemeralRange parse(String text) {
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 2) {
            throw new IllegalArgumentException("expected two port numbers, got \"" + text.trim() + "\"");
        }
        return new EphemeralRange(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]));
    }

    public int size() {
        return last - first + 1;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }
}
