package dev.skiff.cli.format;

import java.util.List;
import java.util.Map;

/**
 * docker's --format handling for listings: "" or "table" (the command's default columns),
 * "table TEMPLATE" (header line + tabwriter), "json" ({{json .}} per row), or a bare template,
 * one line per row. Literal "\t" and "\n" in the flag become tab and newline, as in docker.
 */
public final class Formatter {
    private Formatter() {
    }

    /**
     * Renders rows.
     *
     * @param format the user's --format (null or "" for the default)
     * @param defaultTable the command's default, e.g. "table {{.ID}}\t{{.Image}}"
     * @param headers field name -> column header ("ID" -> "CONTAINER ID")
     */
    public static String render(String format, String defaultTable, Map<String, String> headers, List<Row> rows)
            throws TemplateException {
        return render(format, defaultTable, headers, rows, "template parsing error: ");
    }

    /**
     * Renders rows; a row the template fails on is an error that starts with {@code failurePrefix} (docker's ps says
     * "failed to execute template: ", its other listings "template parsing error: ").
     */
    public static String render(String format, String defaultTable, Map<String, String> headers, List<Row> rows,
            String failurePrefix) throws TemplateException {
        String f = format == null || format.isEmpty() ? defaultTable : format;
        if (f.equals("table")) {
            f = defaultTable;
        }
        boolean table = f.startsWith("table");
        String body;
        if (table) {
            body = f.substring("table".length());
        } else if (f.equals("json")) {
            body = "{{json .}}";
        } else {
            body = f;
        }
        body = body.strip().replace("\\t", "\t").replace("\\n", "\n");
        Template tmpl;
        try {
            tmpl = Template.parse(body);
        } catch (TemplateException e) {
            throw new TemplateException("template parsing error: " + e.getMessage());
        }
        StringBuilder out = new StringBuilder();
        for (Row row : rows) {
            try {
                tmpl.execute(row, false, out);
            } catch (TemplateException e) {
                throw new TemplateException(failurePrefix + e.getMessage());
            }
            out.append('\n');
        }
        if (!table) {
            return out.toString();
        }
        StringBuilder header = new StringBuilder();
        try {
            tmpl.forHeader().execute(headerRow(headers), false, header);
        } catch (TemplateException e) {
            // docker ignores header errors and keeps what was printed before the failure
        }
        return TabWriter.table(header + "\n" + out);
    }

    /** docker's SubHeaderContext: field headers, and {{.Label "com.x.foo-bar"}} heads its column "foo bar". */
    private static Row headerRow(Map<String, String> headers) {
        Row row = new Row("formatter.SubHeaderContext").fallback(name -> "");
        headers.forEach((k, v) -> row.field(k, () -> v));
        return row.method("Label", args -> {
            String[] parts = String.valueOf(args.getFirst()).split("\\.");
            return parts[parts.length - 1].replace('-', ' ').replace('_', ' ');
        });
    }
}
