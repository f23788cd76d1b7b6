package dev.skiff.api.routes;

import java.util.Locale;

/**
 * The "progress" text of Docker's JSON messages (jsonmessage.JSONProgress.String at a wide terminal):
 * {@code [=====>        ]  1.049MB/2.151MB}, sizes in decimal units with four significant digits.
 */
final class ProgressBar {
    private static final int WIDTH = 50;
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private ProgressBar() {
    }

    static String format(long current, long total) {
        if (current <= 0 && total <= 0) {
            return "";
        }
        if (total <= 0) {
            return String.format(Locale.ROOT, "%8s", humanSize(current));
        }
        int filled = (int) Math.min(WIDTH, (long) ((double) current / total * 100) / 2);
        String bar = "[" + "=".repeat(filled) + ">" + " ".repeat(WIDTH - filled) + "] ";
        String numbers = current > total ? String.format(Locale.ROOT, "%8s", humanSize(current))
                : String.format(Locale.ROOT, "%8s/%s", humanSize(current), humanSize(total));
        return bar + numbers;
    }

    /** go-units HumanSizeWithPrecision(size, 4). */
    static String humanSize(double size) {
        int i = 0;
        while (size >= 1000 && i < UNITS.length - 1) {
            size /= 1000;
            i++;
        }
        return formatG(size) + UNITS[i];
    }

    /** Go's %.4g: four significant digits, trailing zeros dropped. */
    private static String formatG(double v) {
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return s;
    }
}
