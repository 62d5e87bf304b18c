package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documents as YAML, before any tool reads them: no key without a value (an unquoted comma in a one-line {@code {…,
 * description: a, b}} makes {@code b} a key of its own), and no exclusive bound at all: OpenAPI 3.0 writes one as a
 * boolean beside {@code minimum}, 3.1 and JSON Schema validators as a number, and each rejects the other's form, so
 * positive amounts say {@code minimum: 0.01} (they have at most two decimals) and every validator reads them alike.
 */
class OpenApiDocumentTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode load(String resource) throws IOException {
        try (var in = OpenApiDocumentTest.class.getResourceAsStream("/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            return YAML.readTree(in);
        }
    }

    private static void walk(JsonNode node, String at, List<String> keysWithoutValue, List<String> badBounds) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                var where = at + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                if (field.getValue().isNull()) keysWithoutValue.add(where);
                walk(field.getValue(), where, keysWithoutValue, badBounds);
            });
            for (var bound : new String[] {"exclusiveMinimum", "exclusiveMaximum"}) {
                if (node.has(bound)) badBounds.add(at + "/" + bound);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), at + "/" + i, keysWithoutValue, badBounds);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openapi.yaml", "management.yaml"})
    void everyKeyHasAValueAndNoBoundIsExclusive(String resource) throws IOException {
        var doc = load(resource);
        assertThat(doc.path("openapi").asText()).startsWith("3.0.");
        assertThat(doc.at("/info/license/name").asText()).isNotEmpty();
        var keysWithoutValue = new ArrayList<String>();
        var badBounds = new ArrayList<String>();
        walk(doc, "#", keysWithoutValue, badBounds);
        assertThat(keysWithoutValue).as("keys without a value").isEmpty();
        assertThat(badBounds)
                .as("exclusive bounds (read differently by 3.0 and 3.1 validators)")
                .isEmpty();
    }

    @Test
    void aCouponWorthNothingBreaksTheSchema() {
        OpenApiContract.checkSchema("Coupon", "{\"type\":\"amount_off\",\"value\":0.01,\"maxDiscount\":0.01}");
        assertThatThrownBy(() -> OpenApiContract.checkSchema("Coupon", "{\"type\":\"amount_off\",\"value\":0}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> OpenApiContract.checkSchema(
                        "Coupon", "{\"type\":\"percent_off\",\"value\":10,\"maxDiscount\":0}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("maxDiscount");
    }
}
