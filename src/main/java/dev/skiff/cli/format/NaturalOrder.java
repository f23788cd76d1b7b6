package dev.skiff.cli.format;

import java.util.Comparator;

/**
 * github.com/fvbommel/sortorder NaturalLess, which docker uses to sort `port` output: runs of digits compare as
 * numbers ("80/tcp" before "443/tcp"), everything else byte by byte; with equal numbers the shorter run
 * (fewer leading zeros) comes first.
 */
public final class NaturalOrder implements Comparator<String> {
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isDigit(ca) && isDigit(cb)) {
                int ea = digitsEnd(a, i);
                int eb = digitsEnd(b, j);
                String na = stripZeros(a.substring(i, ea));
                String nb = stripZeros(b.substring(j, eb));
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                c = Integer.compare(ea - i, eb - j);
                if (c != 0) {
                    return c;
                }
                i = ea;
                j = eb;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String s, int from) {
        int k = from;
        while (k < s.length() && isDigit(s.charAt(k))) {
            k++;
        }
        return k;
    }

    private static String stripZeros(String digits) {
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') {
            k++;
        }
        return digits.substring(k);
    }
}
