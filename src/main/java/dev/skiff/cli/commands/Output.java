package dev.skiff.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.format.GoTypes;
import dev.skiff.cli.format.Template;
import dev.skiff.cli.format.TemplateException;
import dev.skiff.sys.Json;
import java.io.PrintStream;
import java.util.List;

/** Prints API objects like docker inspect: an indented JSON array, or a template per object. */
public final class Output {
    private static final com.fasterxml.jackson.databind.ObjectWriter INDENT = Json.goIndented("    ");

    private Output() {
    }

    /** Go's json.MarshalIndent(v, "", "    "). */
    public static String indented(Object value) {
        try {
            return INDENT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * docker inspect: all objects as one indented array, or each through the template: first on the typed view of
     * an object of {@code kind} (container, image, network, volume; "object" when any), then on its raw JSON with
     * strict keys.
     */
    public static void inspect(PrintStream out, List<JsonNode> objects, String format, String kind) throws TemplateException {
        if (format == null || format.isEmpty()) {
            out.println(indented(objects));
            return;
        }
        if (format.equals("json")) {
            // docker's JSON inspector: every object in one compact array on one line, "[]" for none
            try {
                out.println(Json.COMPACT.writeValueAsString(objects));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write what the daemon sent as JSON", e);
            }
            return;
        }
        Template t;
        try {
            t = Template.parse(format);
        } catch (TemplateException e) {
            throw new TemplateException("template parsing error: " + e.getMessage());
        }
        for (JsonNode o : objects) {
            Object data = Json.MAPPER.convertValue(o, Object.class);
            // as the docker CLI: first on the Go type the object decodes into, then on the raw JSON
            Object typed = GoTypes.typed(data, kind);
            if (typed != null) {
                try {
                    out.println(t.execute(typed, false));
                    continue;
                } catch (TemplateException e) {
                    // the raw run below decides, and its error is the one shown
                }
            }
            try {
                out.println(t.execute(data, true));
            } catch (TemplateException e) {
                // docker has already ended the object's line when the template fails
                out.println();
                throw new TemplateException("template parsing error: " + e.getMessage());
            }
        }
    }
}
