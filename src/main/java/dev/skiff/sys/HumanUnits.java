package dev.skiff.sys;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's github.com/docker/go-units functions that both the daemon (ps status text, log options) and the
 * CLI need, written once so their output matches each other and Docker's.
 */
public final class HumanUnits {
    private static final Pattern RAM = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kmgtp])?(i?b)?$");

    private HumanUnits() {
    }

    /** units.HumanDuration: "Less than a second", "About a minute", "3 days", ... */
    public static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        // Go rounds half away from zero to the nearest hour here.
        long hours = (d.toMillis() + 1_800_000L) / 3_600_000L;
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }

    /**
     * units.RAMInBytes: "512", "512m", "1g", "100k", "1.5GiB" with base 1024.
     *
     * @throws IllegalArgumentException "invalid size: '...'" when the text is not a size
     */
    public static long ramInBytes(String text) {
        Matcher m = RAM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size: '" + text + "'");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        int power = unit == null ? 0 : "kmgtp".indexOf(unit) + 1;
        return (long) (n * Math.pow(1024, power));
    }
}
