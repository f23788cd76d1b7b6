package dev.skiff.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/** Docker's go-units: HumanSize (base 1000), BytesSize (base 1024) and HumanDuration, byte for byte. */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private Units() {
    }

    /** units.HumanSize: four significant digits, base 1000 ("4.325MB"). */
    public static String humanSize(double size) {
        return humanSize(size, 4);
    }

    /** units.HumanSizeWithPrecision: what images and ps -s print with precision 3 ("4.33MB"). */
    public static String humanSize(double size, int precision) {
        return scaled(size, 1000.0, DECIMAL, precision);
    }

    /** units.BytesSize: base 1024 with four significant digits ("1.5MiB"), used by stats. */
    public static String bytesSize(double size) {
        return scaled(size, 1024.0, BINARY, 4);
    }

    private static String scaled(double size, double base, String[] units, int precision) {
        int i = 0;
        while (size >= base && i < units.length - 1) {
            size /= base;
            i++;
        }
        return formatG(size, precision) + units[i];
    }

    /** Go's fmt "%.{precision}g": significant digits, trailing zeros dropped, exponent when large. */
    public static String formatG(double value, int precision) {
        if (value == 0) {
            return "0";
        }
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        BigDecimal d = new BigDecimal(value).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= precision) {
            BigDecimal mantissa = d.movePointLeft(exp).stripTrailingZeros();
            String sign = exp < 0 ? "-" : "+";
            int abs = Math.abs(exp);
            return mantissa.toPlainString() + "e" + sign + (abs < 10 ? "0" : "") + abs;
        }
        return d.stripTrailingZeros().toPlainString();
    }

    /** units.HumanDuration: "Less than a second", "About a minute", "3 days", ... */
    public static String humanDuration(Duration d) {
        return dev.skiff.sys.HumanUnits.humanDuration(d);
    }

    /** Parses docker's size flags ("512m", "1g", "100k", plain bytes) with base 1024 (units.RAMInBytes). */
    public static long ramInBytes(String text) {
        return dev.skiff.sys.HumanUnits.ramInBytes(text);
    }
}
