package io.kairos.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * JSON values for the schemas of openapi.yaml, one request body at a time: valid values (required properties always,
 * optional ones half of the time, enums, bounds, formats, array sizes), boundary values (at and just past each bound)
 * and hostile ones (wrong JSON types, huge numbers, unicode, deep nesting, very long strings). Every value of a body is
 * remembered with its schema as a {@link Site}, so a request can change exactly one of them.
 */
final class SchemaValues {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String ID_PATTERN = "^[A-Za-z0-9._:@+-]{1,128}$";
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-";

    /** Number literals no double or long holds, or that parsers read differently. */
    static final List<String> HUGE_NUMBERS = literals("1e400|-1e400|99999999999999999999999999|-1e308|1e-400|-0|-0.0|"
            + "0.0000000000000000000000001|9223372036854775808|-9223372036854775809|1e100000|"
            + "123456789012345678901234567890.123456789");

    /** String literals: emoji, RTL override, NUL, lone surrogates, combining marks, BOM, zero width, escapes. */
    static final List<String> UNICODE = literals("\"\uD83C\uDF89\uD83D\uDD25\uD83D\uDC69\u200D\uD83D\uDC67\"|"
            + "\"\u202Egnp.exe\u202C\"|\"\\u0000\"|\"a\\u0000b\"|\"\\ud800\"|\"\\udfff\\ud800x\"|"
            + "\"e\u0301\u0301\u0301\u0301\"|\"\uFEFFid\"|\"\u200B\"|\"\u0644\u0627\u200F\u05D0\"|"
            + "\"\\u001b[31m\\r\\n\"|\"..\\/..\\/etc\\/passwd\"|\"<script>alert(1)</script>\"|"
            + "\"' OR '1'='1\"|\"%00%2F%ZZ\"|\"\uD835\uDD4F\"|\" \"|\"x\\udbff\"|\"\\udc00y\"|\"\\ud83d\"");

    /** {@code a|b|c} as a list (empty entries kept). */
    static List<String> literals(String list) {
        return List.of(list.split("\\|", -1));
    }

    /** Nesting 10,000 levels deep: balanced arrays, balanced objects, and arrays never closed. */
    static final List<String> DEEP = List.of(
            "[".repeat(10_000) + "]".repeat(10_000),
            "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
            "[".repeat(10_000));

    /** Where a value sits: a property of an object or an element of an array, and the schema it answers to. */
    record Site(ContainerNode<?> parent, String field, int index, JsonNode schema, String name) {
        JsonNode get() {
            return parent instanceof ObjectNode o ? o.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (parent instanceof ObjectNode o) o.set(field, value);
            else ((ArrayNode) parent).set(index, value);
        }

        String type() {
            return SchemaValues.type(merged(schema));
        }
    }

    /** A boundary or hostile value and what it is, for the report. */
    record Value(JsonNode node, String what) {}

    private final Random random;
    private final BiFunction<String, Random, String> hints;
    private final ArrayNode holder = NODES.arrayNode();
    final List<Site> sites = new ArrayList<>();

    /** {@code hints} gives a value for a property or parameter name from the test's pools, or null. */
    SchemaValues(Random random, BiFunction<String, Random, String> hints) {
        this.random = random;
        this.hints = hints;
    }

    /** A valid body for {@code schema}; the body itself is the first of {@link #sites}. */
    JsonNode body(JsonNode schema) {
        holder.removeAll();
        sites.clear();
        add(holder, null, schema, "$", 0);
        return root();
    }

    JsonNode root() {
        return holder.get(0);
    }

    /** A valid value for a parameter, as text. */
    String text(JsonNode schema, String name) {
        var value = valid(schema, name, 0);
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** A node written as the JSON text given, whatever it is. */
    static JsonNode raw(String json) {
        return NODES.rawValueNode(new RawValue(json));
    }

    private void add(ContainerNode<?> parent, String field, JsonNode schema, String name, int depth) {
        if (depth > 12) return;
        int index = -1;
        if (parent instanceof ArrayNode a) {
            index = a.size();
            a.addNull();
        }
        var site = new Site(parent, field, index, schema, name);
        sites.add(site);
        site.set(valid(schema, name, depth + 1));
    }

    private JsonNode valid(JsonNode schema, String name, int depth) {
        schema = merged(schema);
        var options = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
        if (options != null) return valid(options.get(random.nextInt(options.size())), name, depth);
        if (schema.has("enum")) return pick(schema.get("enum"));
        switch (type(schema)) {
            case "object" -> {
                var object = NODES.objectNode();
                var required = names(schema.get("required"));
                schema.path("properties").fields().forEachRemaining(p -> {
                    if (required.contains(p.getKey()) || random.nextBoolean())
                        add(object, p.getKey(), p.getValue(), p.getKey(), depth);
                });
                var extra = schema.get("additionalProperties");
                if (extra != null && extra.isObject() && !schema.has("properties")) {
                    int n = random.nextInt(
                            Math.min(3, schema.path("maxProperties").asInt(3)) + 1);
                    for (int i = 0; i < n; i++) add(object, "k" + i, extra, name, depth);
                }
                return object;
            }
            case "array" -> {
                var array = NODES.arrayNode();
                int min = schema.path("minItems").asInt(0);
                int max = Math.min(schema.path("maxItems").asInt(min + 3), min + 3);
                int n = min + random.nextInt(max - min + 1);
                for (int i = 0; i < n; i++) add(array, null, schema.path("items"), singular(name), depth);
                return array;
            }
            case "integer" -> {
                var range = range(schema, name, 0, 100);
                return NODES.numberNode((long) range[0] + (long) (random.nextDouble() * (range[1] - range[0] + 1)));
            }
            case "number" -> {
                var range = range(schema, name, 0, 100);
                var n = range[0] + random.nextDouble() * (range[1] - range[0]);
                var value = BigDecimal.valueOf(n).setScale(2, RoundingMode.DOWN);
                return NODES.numberNode(value.max(BigDecimal.valueOf(range[0])));
            }
            case "boolean" -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            default -> {
                return NODES.textNode(string(schema, name));
            }
        }
    }

    private String string(JsonNode schema, String name) {
        var hint = hints.apply(name, random);
        if (hint != null) return hint;
        if ("date-time".equals(schema.path("format").asText()))
            return time(name).toString();
        var pattern = schema.path("pattern").asText("");
        if (pattern.equals(ID_PATTERN)) return id(1 + random.nextInt(16));
        if (pattern.equals("^[A-Z]{3}$")) return pick("EUR", "EUR", "USD", "GBP");
        if (pattern.startsWith("^[a-z0-9_-]")) return pick("in_app", "email", "sms", "push");
        int min = schema.path("minLength").asInt(1);
        int max = Math.max(min, Math.min(schema.path("maxLength").asInt(16), 16));
        return letters(min + random.nextInt(max - min + 1));
    }

    /** Times near now: starts in the past, ends in the future, events in the last hour. */
    private Instant time(String name) {
        var now = Instant.now();
        return switch (name) {
            case "startsAt" -> now.minusSeconds(60 + random.nextInt(3600));
            case "endsAt", "sellThroughBy" -> now.plusSeconds(86_400L * (1 + random.nextInt(60)));
            case "occurredAt", "observedAt", "at", "to" -> now.minusSeconds(random.nextInt(3600));
            case "from" -> now.minusSeconds(86_400L * random.nextInt(3));
            default -> now.minusSeconds(86_400L * random.nextInt(1000));
        };
    }

    /** Ranges that make sense together for money and percentages (cost < floor < list price < ceiling). */
    private static final Map<String, double[]> RANGES = Map.ofEntries(
            Map.entry("cost", new double[] {2, 8}),
            Map.entry("floor", new double[] {10, 14}),
            Map.entry("listPrice", new double[] {15, 30}),
            Map.entry("ceiling", new double[] {31, 60}),
            Map.entry("price", new double[] {10, 40}),
            Map.entry("budget", new double[] {100, 10_000}),
            Map.entry("value", new double[] {1, 20}),
            Map.entry("maxDiscount", new double[] {10, 50}),
            Map.entry("minSpend", new double[] {0, 50}),
            Map.entry("amount", new double[] {1, 200}),
            Map.entry("quantity", new double[] {1, 3}),
            Map.entry("shippingFee", new double[] {0, 10}),
            Map.entry("maxStepPercent", new double[] {1, 20}),
            Map.entry("minMarginPercent", new double[] {0, 20}),
            Map.entry("holdoutPercent", new double[] {0, 20}),
            Map.entry("exploration", new double[] {0, 0.3}),
            Map.entry("validDays", new double[] {1, 30}),
            Map.entry("perShopper", new double[] {0, 5}),
            Map.entry("perShopperDays", new double[] {0, 30}),
            Map.entry("limit", new double[] {1, 20}));

    private static double[] range(JsonNode schema, String name, double low, double high) {
        var hinted = RANGES.get(name);
        double min = schema.path("minimum").asDouble(hinted != null ? hinted[0] : low);
        double max = schema.path("maximum").asDouble(hinted != null ? hinted[1] : high);
        if (hinted != null) {
            min = Math.max(min, hinted[0]);
            max = Math.min(max, hinted[1]);
        }
        return new double[] {min, Math.max(min, max)};
    }

    /** A value at or just past one of the schema's bounds (length, size, range, format), or null for optional. */
    Value boundary(JsonNode schema, String name) {
        schema = merged(schema);
        var options = new ArrayList<Value>();
        switch (type(schema)) {
            case "string" -> {
                if (schema.path("pattern").asText().equals(ID_PATTERN)) {
                    options.add(new Value(NODES.textNode(id(128)), "id of 128"));
                    options.add(new Value(NODES.textNode(id(129)), "id of 129"));
                }
                if (schema.has("maxLength")) {
                    int max = schema.get("maxLength").asInt();
                    options.add(new Value(NODES.textNode(letters(max)), "maxLength " + max));
                    options.add(new Value(NODES.textNode(letters(max + 1)), "maxLength+1"));
                }
                if ("date-time".equals(schema.path("format").asText())) {
                    var now = Instant.now();
                    for (var t : List.of(
                            "1970-01-01T00:00:00Z",
                            "9999-12-31T23:59:59.999999999Z",
                            now.plusSeconds(299).toString(),
                            now.plusSeconds(301).toString(),
                            "2026-02-29T00:00:00Z",
                            "2026-11-23T09:00:00+14:00")) options.add(new Value(NODES.textNode(t), "time " + t));
                }
                if (schema.has("enum")) {
                    var first = schema.get("enum").get(0).asText();
                    options.add(new Value(NODES.textNode(first.toUpperCase()), "enum upper-cased"));
                }
                options.add(new Value(NODES.textNode(""), "empty string"));
            }
            case "integer", "number" -> {
                boolean integer = type(schema).equals("integer");
                var step = integer ? BigDecimal.ONE : new BigDecimal("0.01");
                if (schema.has("minimum")) {
                    var min = schema.get("minimum").decimalValue();
                    options.add(new Value(NODES.numberNode(min), "minimum"));
                    options.add(new Value(NODES.numberNode(min.subtract(step)), "minimum-" + step));
                }
                if (schema.has("maximum")) {
                    var max = schema.get("maximum").decimalValue();
                    options.add(new Value(NODES.numberNode(max), "maximum"));
                    options.add(new Value(NODES.numberNode(max.add(step)), "maximum+" + step));
                }
                options.add(new Value(NODES.numberNode(0), "zero"));
                options.add(new Value(raw("-0"), "negative zero"));
                options.add(new Value(NODES.numberNode(Long.MAX_VALUE), "Long.MAX_VALUE"));
                if (!integer) options.add(new Value(NODES.numberNode(new BigDecimal("0.001")), "three decimals"));
            }
            case "array" -> {
                options.add(new Value(NODES.arrayNode(), "empty array"));
                int max = schema.path("maxItems").asInt(1000);
                for (int n : new int[] {max, max + 1}) {
                    var array = NODES.arrayNode();
                    for (int i = 0; i < n; i++) array.add(valid(schema.path("items"), singular(name), 1));
                    options.add(new Value(array, n + " items"));
                }
            }
            case "object" -> {
                options.add(new Value(NODES.objectNode(), "empty object"));
                var extra = schema.get("additionalProperties");
                if (schema.has("maxProperties") && extra != null && extra.isObject()) {
                    int max = schema.get("maxProperties").asInt();
                    for (int n : new int[] {max, max + 1}) {
                        var object = NODES.objectNode();
                        for (int i = 0; i < n; i++) object.set("k" + i, valid(extra, name, 1));
                        options.add(new Value(object, n + " properties"));
                    }
                }
            }
            default -> options.add(new Value(NODES.nullNode(), "null"));
        }
        return options.get(random.nextInt(options.size()));
    }

    /** A value of another JSON type than the schema's. */
    Value wrongType(JsonNode schema) {
        var type = type(merged(schema));
        var all = new ArrayList<Value>(List.of(
                new Value(NODES.textNode("12"), "string"),
                new Value(NODES.numberNode(12), "integer"),
                new Value(NODES.numberNode(new BigDecimal("1.5")), "decimal"),
                new Value(NODES.booleanNode(true), "boolean"),
                new Value(NODES.nullNode(), "null"),
                new Value(NODES.objectNode().put("a", 1), "object"),
                new Value(NODES.arrayNode().add(NODES.arrayNode()), "array")));
        all.removeIf(v -> v.what().equals(type)
                || type.equals("number") && v.what().matches("integer|decimal")
                || type.equals("integer") && v.what().equals("integer"));
        var v = all.get(random.nextInt(all.size()));
        return new Value(v.node(), v.what() + " for " + type);
    }

    /** A hostile value: a huge number, a strange string, deep nesting or a 100 KB string. */
    Value hostile(String which) {
        return switch (which) {
            case "number" -> labelled(pick(HUGE_NUMBERS.toArray(String[]::new)));
            case "unicode" -> labelled(pick(UNICODE.toArray(String[]::new)));
            case "deep" -> {
                var deep = DEEP.get(random.nextInt(2));
                yield new Value(raw(deep), "nesting " + deep.substring(0, 6) + "... x10000");
            }
            default -> new Value(NODES.textNode("x".repeat(100_000)), "100 KB string");
        };
    }

    private static Value labelled(String literal) {
        return new Value(raw(literal), literal);
    }

    static JsonNode merged(JsonNode schema) {
        if (!schema.has("allOf")) return schema;
        var merged = ((ObjectNode) schema).deepCopy();
        merged.remove("allOf");
        for (var part : schema.get("allOf")) merged.setAll((ObjectNode) merged(part));
        return merged;
    }

    static String type(JsonNode schema) {
        if (schema.has("type")) return schema.get("type").asText();
        return schema.has("properties") || schema.has("additionalProperties") ? "object" : "string";
    }

    static Set<String> names(JsonNode array) {
        var names = new HashSet<String>();
        if (array != null) array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static String singular(String name) {
        return switch (name) {
            case "couponIds" -> "couponId";
            case "skus" -> "sku";
            case "tags" -> "tag";
            case "events" -> "event";
            default -> name;
        };
    }

    String id(int length) {
        var sb = new StringBuilder("fz");
        while (sb.length() < length) sb.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        return sb.substring(0, length);
    }

    private String letters(int length) {
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    private JsonNode pick(JsonNode array) {
        return array.get(random.nextInt(array.size())).deepCopy();
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }
}
