package dev.skiff.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's text/tabwriter (left-aligned, space padding): tab-terminated cells are aligned per column
 * block; the text after a line's last tab is not a column and is never padded. Docker's tables use
 * minwidth 10, padding 3.
 */
public final class TabWriter {
    private final int minWidth;
    private final int padding;
    private final List<List<String>> lines = new ArrayList<>();
    private final List<Integer> widths = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();

    private TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** Docker's table writer: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0). */
    public static String table(String text) {
        return align(text, 10, 3);
    }

    public static String align(String text, int minWidth, int padding) {
        TabWriter w = new TabWriter(minWidth, padding);
        String[] raw = text.split("\n", -1);
        for (String line : raw) {
            w.lines.add(List.of(line.split("\t", -1)));
        }
        w.format(0, w.lines.size());
        // The split gave one line more than there were newlines; the last one has no newline.
        return w.out.toString();
    }

    private void format(int line0, int line1) {
        int column = widths.size();
        for (int cur = line0; cur < line1; cur++) {
            if (column >= lines.get(cur).size() - 1) {
                continue;
            }
            writeLines(line0, cur);
            line0 = cur;
            int width = minWidth;
            for (; cur < line1; cur++) {
                List<String> line = lines.get(cur);
                if (column >= line.size() - 1) {
                    break;
                }
                width = Math.max(width, runes(line.get(column)) + padding);
            }
            widths.add(width);
            format(line0, cur);
            widths.removeLast();
            line0 = cur;
            cur--;
        }
        writeLines(line0, line1);
    }

    private void writeLines(int line0, int line1) {
        for (int i = line0; i < line1; i++) {
            List<String> line = lines.get(i);
            for (int j = 0; j < line.size(); j++) {
                String cell = line.get(j);
                out.append(cell);
                if (j < widths.size() && j < line.size() - 1) {
                    out.repeat(' ', Math.max(0, widths.get(j) - runes(cell)));
                }
            }
            if (i + 1 < lines.size()) {
                out.append('\n');
            }
        }
    }

    private static int runes(String s) {
        return s.codePointCount(0, s.length());
    }
}
