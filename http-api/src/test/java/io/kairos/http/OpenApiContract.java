package io.kairos.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a response against the served {@code openapi.yaml}: the path and method must be documented, the status must be
 * a documented response of that operation, the content type one of its media types, and the body must validate against
 * its schema (for NDJSON, every line against the {@code x-line-schema} extension). OpenAPI 3.0's {@code nullable} is
 * translated to a JSON-Schema type union first.
 */
public final class OpenApiContract {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNode DOC = load();

    private OpenApiContract() {}

    private static JsonNode load() {
        try (var in = OpenApiContract.class.getResourceAsStream("/openapi.yaml")) {
            var doc = YAML.readTree(in);
            translateNullable(doc);
            return doc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void translateNullable(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.path("nullable").asBoolean(false)
                    && o.has("type")
                    && o.get("type").isTextual()) {
                ArrayNode types = JsonNodeFactory.instance
                        .arrayNode()
                        .add(o.get("type").asText())
                        .add("null");
                o.set("type", types);
                o.remove("nullable");
            }
            o.elements().forEachRemaining(OpenApiContract::translateNullable);
        } else if (node instanceof ArrayNode a) {
            a.elements().forEachRemaining(OpenApiContract::translateNullable);
        }
    }

    public static JsonNode document() {
        return DOC;
    }

    /** Throws AssertionError describing the first way the response breaks the document. */
    public static void check(String method, String path, int status, String contentType, String body) {
        var template = template(path);
        var op = DOC.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        if (op.isMissingNode()) throw new AssertionError(method + " " + template + " is not documented");
        var response = resolve(op.path("responses").path(Integer.toString(status)));
        if (response.isMissingNode())
            throw new AssertionError(method + " " + template + " does not document status " + status);
        if (body.isEmpty() && !response.has("content")) return; // e.g. a redirect, documented without a body
        var mediaType = contentType.split(";")[0].trim();
        var content = response.path("content").path(mediaType);
        if (content.isMissingNode()) {
            throw new AssertionError(method + " " + template + " " + status + " does not document content type "
                    + mediaType + " (has " + response.path("content") + ")");
        }
        var where = method + " " + template + " " + status;
        if (mediaType.equals("application/x-ndjson")) {
            var line = content.path("x-line-schema");
            if (line.isMissingNode()) throw new AssertionError(where + " documents NDJSON without x-line-schema");
            for (var l : body.split("\n")) if (!l.isBlank()) validate(line, l, where + " (line)");
        } else if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            validate(content.path("schema"), body, where);
        }
    }

    /**
     * Throws AssertionError when {@code body} breaks the component schema {@code name} (for bodies without a route).
     */
    public static void checkSchema(String name, String body) {
        var schema = DOC.path("components").path("schemas").path(name);
        if (schema.isMissingNode()) throw new AssertionError("no component schema " + name);
        validate(
                JsonNodeFactory.instance.objectNode().put("$ref", "#/components/schemas/" + name),
                body,
                "schema " + name);
    }

    private static void validate(JsonNode schema, String body, String where) {
        var root = JsonNodeFactory.instance.objectNode();
        root.set("components", DOC.get("components"));
        root.set("allOf", JsonNodeFactory.instance.arrayNode().add(schema));
        var validator =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
        try {
            var errors = validator.validate(new ObjectMapper().readTree(body));
            if (!errors.isEmpty())
                throw new AssertionError(where + " body breaks the schema: " + errors + "\nbody: " + body);
            var exact = DECIMALS.readTree(body);
            var money = new java.util.ArrayList<String>();
            inexactMoney(schema, exact, "$", money, 0);
            if (!money.isEmpty()) {
                throw new AssertionError(
                        where + " money is not exact in minor units (2 decimals): " + money + "\nbody: " + body);
            }
        } catch (IOException e) {
            throw new AssertionError(where + " body is not JSON: " + body, e);
        }
    }

    /** Reads numbers as written: {@code 20} stays an integer and {@code 20.00} keeps its two decimals. */
    private static final ObjectMapper DECIMALS = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /**
     * Collects the paths of values whose schema is {@code Money} but which are not written with exactly two decimals
     * ({@code 20}, {@code 0.35000000000000003}, {@code -13.272727}).
     */
    private static void inexactMoney(
            JsonNode schema, JsonNode value, String at, java.util.List<String> out, int depth) {
        if (schema == null || schema.isMissingNode() || value == null || value.isNull() || depth > 40) return;
        if (schema.has("$ref")) {
            var ref = schema.get("$ref").asText();
            if (ref.equals("#/components/schemas/Money") || ref.equals("#/components/schemas/SignedMoney")) {
                if (!value.isBigDecimal() || value.decimalValue().scale() != 2) out.add(at + "=" + value);
                return;
            }
            inexactMoney(resolve(schema), value, at, out, depth + 1);
            return;
        }
        for (var combinator : java.util.List.of("allOf", "oneOf", "anyOf")) {
            schema.path(combinator).forEach(s -> inexactMoney(s, value, at, out, depth + 1));
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(e -> {
                var property = schema.path("properties").path(e.getKey());
                var sub = property.isMissingNode() ? schema.path("additionalProperties") : property;
                if (sub.isObject()) inexactMoney(sub, e.getValue(), at + "." + e.getKey(), out, depth + 1);
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                inexactMoney(schema.path("items"), value.get(i), at + "[" + i + "]", out, depth + 1);
            }
        }
    }

    private static JsonNode resolve(JsonNode node) {
        if (!node.has("$ref")) return node;
        var pointer = node.get("$ref").asText().substring(1);
        return resolve(DOC.at(pointer));
    }

    private static String template(String path) {
        var clean = path.split("\\?")[0];
        // a literal path (/v1/audit/decisions/replay) wins over a template it also fits (/v1/audit/decisions/{id})
        if (DOC.path("paths").has(clean)) return clean;
        for (Iterator<Map.Entry<String, JsonNode>> it = DOC.path("paths").fields(); it.hasNext(); ) {
            var t = it.next().getKey();
            if (clean.matches(t.replaceAll("\\{[^}]+}", "[^/]+"))) return t;
        }
        throw new AssertionError("no documented path matches " + clean);
    }
}
