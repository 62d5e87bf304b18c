package io.kairos.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.io.IOException;

/**
 * The API's JSON: strict on input (unknown fields, duplicate keys, wrong types, coercions and trailing tokens are
 * errors that name the field), ISO-8601 times and plain decimals on output, absent optional fields omitted.
 */
public final class Json {
    /** The deepest nesting a request body may have; Kairos's deepest documented body has 5 levels. */
    static final int MAX_DEPTH = 32;

    private Json() {}

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new ParameterNamesModule())
            .addModule(new SimpleModule("strict-strings").addDeserializer(String.class, new StrictStringDeserializer()))
            .addModule(new SimpleModule("money").addSerializer(java.math.BigDecimal.class, new CentsSerializer()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    static {
        MAPPER.coercionConfigFor(LogicalType.Collection)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }

    /**
     * Decimals are written with at least two decimal places, so money reads in the currency's minor units
     * ({@code 20.00}, never {@code 20} beside {@code 20.00}); a decimal with more places (a rate) is written as it is.
     * Money computed with more places is rounded where it is computed.
     */
    static final class CentsSerializer
            extends com.fasterxml.jackson.databind.ser.std.StdScalarSerializer<java.math.BigDecimal> {
        CentsSerializer() {
            super(java.math.BigDecimal.class);
        }

        @Override
        public void serialize(
                java.math.BigDecimal value,
                com.fasterxml.jackson.core.JsonGenerator gen,
                com.fasterxml.jackson.databind.SerializerProvider provider)
                throws java.io.IOException {
            gen.writeNumber(value.scale() < 2 ? value.setScale(2) : value);
        }
    }

    /**
     * Only a JSON string binds to a Java string: Jackson 2.13 (the version Akka 2.8 requires) would silently turn
     * {@code 42} or {@code true} into text, and its coercion configuration for that arrived only in 2.14.
     */
    static final class StrictStringDeserializer extends StdScalarDeserializer<String> {
        StrictStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) return p.getText();
            return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
    }

    /** Reads a request body, turning every parse or binding failure into a 400 problem that names the field. */
    public static <T> T read(byte[] body, Class<T> type) {
        return bind(parse(body), type);
    }

    /**
     * As {@link #read}, for an optional body: the JSON literal {@code null} (what generated clients send for an absent
     * optional body) is no body, and gives null.
     */
    public static <T> T readOptional(byte[] body, Class<T> type) {
        var tree = parse(body);
        return tree.isNull() ? null : bind(tree, type);
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) throw ApiException.badRequest("$", "a JSON body is required");
        JsonNode tree;
        try {
            // Syntax first, so a truncated or garbled body is reported as malformed rather than against a field.
            tree = MAPPER.readTree(body);
        } catch (StreamReadException e) {
            var where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw ApiException.badRequest("$", "malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("$", "unreadable body: " + e.getMessage());
        } catch (NumberFormatException e) {
            // Jackson 2.13 lets this escape for numbers such as 1e400.
            throw ApiException.badRequest("$", "a number is out of range");
        }
        checkTree(tree);
        return tree;
    }

    /**
     * What Jackson 2.13 reads but the rest of Kairos cannot take: nesting deeper than {@link #MAX_DEPTH} (recursive
     * code such as the profile's merge patch would overflow its stack) and text with an unpaired UTF-16 surrogate
     * ({@code "\ud800"}, or the bytes of one in the body), which is not Unicode and which CBOR, the journal's encoding,
     * refuses to write. Iterative, so a deep body cannot overflow the check itself.
     */
    private static void checkTree(JsonNode root) {
        var nodes = new java.util.ArrayDeque<JsonNode>();
        var places = new java.util.ArrayDeque<Place>();
        nodes.push(root);
        places.push(Place.ROOT);
        while (!nodes.isEmpty()) {
            var node = nodes.pop();
            var place = places.pop();
            if (place.depth() > MAX_DEPTH)
                throw ApiException.badRequest(place.toString(), "nested deeper than " + MAX_DEPTH + " levels");
            if (node.isTextual() && !isUnicode(node.textValue()))
                throw ApiException.badRequest(place.toString(), "not valid Unicode (an unpaired UTF-16 surrogate)");
            if (node.isObject()) {
                var fields = node.fields();
                while (fields.hasNext()) {
                    var field = fields.next();
                    if (!isUnicode(field.getKey()))
                        throw ApiException.badRequest(place.toString(), "a field name is not valid Unicode");
                    nodes.push(field.getValue());
                    places.push(new Place(place, field.getKey(), -1, place.depth() + 1));
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    nodes.push(node.get(i));
                    places.push(new Place(place, null, i, place.depth() + 1));
                }
            }
        }
    }

    /**
     * Where a node sits in a body: a link to its parent, so the walk costs one small object per node and the path
     * ({@code events[0].attributes.k}, {@code $} for the root) is spelled only for a problem.
     */
    private record Place(Place parent, String field, int index, int depth) {
        static final Place ROOT = new Place(null, null, -1, 1);

        @Override
        public String toString() {
            if (parent == null) return "$";
            var prefix = parent.parent == null ? "" : parent.toString();
            if (field == null) return prefix + "[" + index + "]";
            return prefix.isEmpty() ? field : prefix + "." + field;
        }
    }

    /** False when {@code text} holds a surrogate that is not half of a pair. */
    static boolean isUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Binds a parsed body to {@code type}, turning every binding failure into a 400 problem that names the field. */
    public static <T> T bind(JsonNode tree, Class<T> type) {
        try {
            T value = MAPPER.treeToValue(tree, type);
            if (value == null) throw ApiException.badRequest("$", "a JSON object is required");
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest(path(e, e.getPropertyName()), "unknown field");
        } catch (InvalidFormatException e) {
            throw ApiException.badRequest(
                    path(e, null),
                    "invalid value for " + e.getTargetType().getSimpleName().toLowerCase());
        } catch (MismatchedInputException e) {
            var target = e.getTargetType() == null ? "value" : typeName(e.getTargetType());
            throw ApiException.badRequest(path(e, null), "expected " + target);
        } catch (JsonMappingException e) {
            var cause =
                    e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage() : e.getOriginalMessage();
            throw ApiException.badRequest(path(e, null), cause);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("$", "unreadable body: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("$", "a number is out of range");
        }
    }

    private static String typeName(Class<?> t) {
        if (t == String.class) return "a string";
        if (Number.class.isAssignableFrom(t) || t.isPrimitive() && t != boolean.class) return "a number";
        if (t == Boolean.class || t == boolean.class) return "a boolean";
        if (java.util.Collection.class.isAssignableFrom(t)) return "an array";
        return "an object";
    }

    static String path(JsonMappingException e, String leaf) {
        var sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) sb.append('.');
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        if (leaf != null && !sb.toString().endsWith(leaf)) {
            if (sb.length() > 0) sb.append('.');
            sb.append(leaf);
        }
        return sb.length() == 0 ? "$" : sb.toString();
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getName(), e);
        }
    }
}
