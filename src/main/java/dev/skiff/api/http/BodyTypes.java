package dev.skiff.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Map;

/**
 * The JSON types of the request bodies skiffd reads, as the Engine API's swagger gives them ({@code api-types.json},
 * written by {@code tools/api-types/gen.py}). A field of the wrong type is refused with a 400 in the words of Go's
 * decoder, as dockerd refuses it, instead of being read as absent: {@code "Memory": "512m"} ran a container without a
 * limit, {@code "Env": [1]} without the variable. Fields the swagger does not name are left alone (Go ignores them),
 * and null is every type's zero value, as in Go. Only the body's known structure is walked: its depth is the
 * schema's, whatever the body nests.
 */
public final class BodyTypes {
    private static final JsonNode TYPES = load();
    /** Go's integer types: their ranges. */
    private static final Map<String, BigInteger[]> RANGES = Map.of(
            "int64", range(BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)),
            "int32", range(BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)),
            "uint64", range(BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)),
            "uint32", range(BigInteger.ZERO, BigInteger.valueOf(0xffff_ffffL)),
            "uint16", range(BigInteger.ZERO, BigInteger.valueOf(0xffff)),
            "uint8", range(BigInteger.ZERO, BigInteger.valueOf(0xff)));

    private BodyTypes() {
    }

    /**
     * Checks {@code body} against the body type {@code name} (ContainerCreate, ContainerUpdate, ContainerCommit,
     * ExecCreate, ExecStart, VolumeCreate, NetworkCreate, NetworkConnect, NetworkDisconnect).
     *
     * @throws InvalidArgumentException "json: cannot unmarshal string into Go struct field HostConfig.Memory of type
     *                                  int64"
     */
    public static void check(String name, JsonNode body) {
        JsonNode type = TYPES.path("bodies").get(name);
        if (type == null) {
            throw new IllegalArgumentException("no request body type " + name + " in api-types.json");
        }
        check(type, body, "");
    }

    private static void check(JsonNode type, JsonNode value, String path) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        if (type.isTextual()) {
            checkNamed(type.asText(), value, path);
        } else if (type.isArray()) {
            if (!value.isArray()) {
                throw mismatch(value, path, goName(type));
            }
            value.forEach(element -> check(type.get(0), element, path));
        } else if (type.has("map")) {
            if (!value.isObject()) {
                throw mismatch(value, path, goName(type));
            }
            value.properties().forEach(e -> check(type.get("map"), e.getValue(), path));
        } else {
            if (!value.isObject()) {
                throw mismatch(value, path, "struct");
            }
            JsonNode props = type.path("props");
            value.properties().forEach(e -> {
                JsonNode field = props.get(e.getKey());
                if (field != null) {
                    check(field, e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
                }
            });
        }
    }

    private static void checkNamed(String type, JsonNode value, String path) {
        if (type.startsWith("#")) {
            JsonNode definition = TYPES.path("definitions").path(type.substring(1));
            if (definition.has("props") && !value.isObject()) {
                throw mismatch(value, path, type.substring(1));
            }
            check(definition, value, path);
            return;
        }
        boolean ok = switch (type) {
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            case "strslice" -> value.isTextual() || value.isArray() && allText(value);
            case "any" -> true;
            default -> {
                if (!type.startsWith("integer:")) {
                    throw new IllegalStateException("unknown type " + type + " in api-types.json");
                }
                String go = type.substring("integer:".length());
                BigInteger[] range = RANGES.getOrDefault(go, RANGES.get("int64"));
                if (value.isNumber() && (!value.isIntegralNumber() || value.bigIntegerValue().compareTo(range[0]) < 0
                        || value.bigIntegerValue().compareTo(range[1]) > 0)) {
                    // Go names the number it could not fit: "cannot unmarshal number 1.5 into ... of type int64"
                    throw new InvalidArgumentException("json: cannot unmarshal number " + value.asText() + into(path)
                            + " of type " + go);
                }
                yield value.isIntegralNumber();
            }
        };
        if (!ok) {
            throw mismatch(value, path, goName(type));
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode e : array) {
            if (!e.isTextual() && !e.isNull()) {
                return false;
            }
        }
        return true;
    }

    private static InvalidArgumentException mismatch(JsonNode value, String path, String goType) {
        return new InvalidArgumentException("json: cannot unmarshal " + jsonKind(value) + into(path) + " of type "
                + goType);
    }

    /** Where Go's decoder says the value was going: the body itself, or one of its fields. */
    private static String into(String path) {
        return path.isEmpty() ? " into Go value" : " into Go struct field " + path;
    }

    /** How Go's decoder names what it found. */
    private static String jsonKind(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isNumber()) {
            return "number";
        }
        return v.isArray() ? "array" : "object";
    }

    /** A Go-like name for a type, for the message. */
    private static String goName(JsonNode type) {
        if (type.isTextual()) {
            return goName(type.asText());
        }
        if (type.isArray()) {
            return "[]" + goName(type.get(0));
        }
        return type.has("map") ? "map[string]" + goName(type.get("map")) : "struct";
    }

    private static String goName(String type) {
        return switch (type) {
            case "boolean" -> "bool";
            case "number" -> "float64";
            case "strslice" -> "strslice.StrSlice";
            case "any" -> "interface {}";
            default -> type.startsWith("integer:") ? type.substring("integer:".length())
                    : type.startsWith("#") ? type.substring(1) : type;
        };
    }

    private static BigInteger[] range(BigInteger min, BigInteger max) {
        return new BigInteger[] {min, max};
    }

    private static JsonNode load() {
        try (InputStream in = BodyTypes.class.getResourceAsStream("/dev/skiff/api/api-types.json")) {
            if (in == null) {
                throw new IllegalStateException("api-types.json is missing from the classpath"
                        + " (run tools/api-types/gen.py)");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
