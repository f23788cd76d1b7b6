package dev.skiff.engine;

/**
 * conmon's timestamps ("2026-11-23T15:22:02.893256182+01:00", local time with offset) to epoch nanoseconds and
 * back to Docker's UTC form ("2026-11-23T15:22:02.893256182Z"), on byte arrays without allocating.
 */
final class LogTimestamps {
    /** Returned for text that is not a timestamp. */
    static final long INVALID = Long.MIN_VALUE;
    static final int UTC_LENGTH = 30;

    private LogTimestamps() {
    }

    static long parse(byte[] b, int off, int end) {
        if (end - off < 20 || b[off + 4] != '-' || b[off + 7] != '-' || b[off + 10] != 'T' || b[off + 13] != ':'
                || b[off + 16] != ':') {
            return INVALID;
        }
        int year = digits(b, off, 4), month = digits(b, off + 5, 2), day = digits(b, off + 8, 2);
        int hour = digits(b, off + 11, 2), min = digits(b, off + 14, 2), sec = digits(b, off + 17, 2);
        if ((year | month | day | hour | min | sec) < 0) {
            return INVALID;
        }
        int p = off + 19;
        long nanos = 0;
        if (p < end && b[p] == '.') {
            p++;
            int n = 0;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                if (n < 9) {
                    nanos = nanos * 10 + (b[p] - '0');
                }
                n++;
                p++;
            }
            for (; n < 9; n++) {
                nanos *= 10;
            }
        }
        long offsetSec = 0;
        if (p < end && (b[p] == '+' || b[p] == '-') && end - p >= 6) {
            int oh = digits(b, p + 1, 2), om = digits(b, p + 4, 2);
            if (oh < 0 || om < 0) {
                return INVALID;
            }
            offsetSec = (oh * 3600L + om * 60L) * (b[p] == '-' ? -1 : 1);
        }
        long epochSec = daysFromCivil(year, month, day) * 86400L + hour * 3600L + min * 60L + sec - offsetSec;
        return epochSec * 1_000_000_000L + nanos;
    }

    /** Writes "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" (30 bytes) at {@code pos}. */
    static void writeUtc(long epochNanos, byte[] out, int pos) {
        long sec = Math.floorDiv(epochNanos, 1_000_000_000L);
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        long days = Math.floorDiv(sec, 86400L);
        long secOfDay = Math.floorMod(sec, 86400L);
        // civil_from_days (Howard Hinnant)
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        put(out, pos, y, 4);
        out[pos + 4] = '-';
        put(out, pos + 5, m, 2);
        out[pos + 7] = '-';
        put(out, pos + 8, d, 2);
        out[pos + 10] = 'T';
        put(out, pos + 11, secOfDay / 3600, 2);
        out[pos + 13] = ':';
        put(out, pos + 14, secOfDay / 60 % 60, 2);
        out[pos + 16] = ':';
        put(out, pos + 17, secOfDay % 60, 2);
        out[pos + 19] = '.';
        put(out, pos + 20, nanos, 9);
        out[pos + 29] = 'Z';
    }

    private static void put(byte[] out, int pos, long v, int width) {
        for (int i = width - 1; i >= 0; i--) {
            out[pos + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    private static int digits(byte[] b, int off, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int c = b[off + i] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            v = v * 10 + c;
        }
        return v;
    }

    private static long daysFromCivil(long y, long m, long d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
