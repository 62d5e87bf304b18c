package io.kairos.models.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureSchemaTest {
    private static Map<String, Object> row(Object... kv) {
        var m = new HashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void columnsWithTextAreCategoricalAndNumericTextStaysNumeric() {
        var rows = List.of(
                row("recency", "3", "seg", "2) $100 - $200", "flag", "1"),
                row("recency", "4.5", "seg", "1) $0 - $100", "flag", "0"),
                row("seg", "Web"));
        FeatureSchema s = new SchemaInference().infer(List.of("recency", "seg", "flag"), rows);
        assertThat(s.features().get(0).kind()).isEqualTo(Feature.Kind.NUMERIC);
        assertThat(s.features().get(1).kind()).isEqualTo(Feature.Kind.CATEGORICAL);
        assertThat(s.features().get(1).categories()).containsExactly("1) $0 - $100", "2) $100 - $200", "Web");
        assertThat(s.features().get(2).kind()).isEqualTo(Feature.Kind.NUMERIC);
        assertThat(s.width()).isEqualTo(5);
    }

    @Test
    void encodesOneHotAndMissingAsNaNAndUnseenAsZeros() {
        var s = new FeatureSchema(List.of(Feature.numeric("x"), Feature.categorical("c", List.of("a", "b"))));
        assertThat(s.encode(row("x", "2.5", "c", "b"))).containsExactly(2.5f, 0f, 1f);
        assertThat(s.encode(row("x", 2.5, "c", "a"))).containsExactly(2.5f, 1f, 0f);
        float[] missing = s.encode(row("c", "zzz"));
        assertThat(Float.isNaN(missing[0])).isTrue();
        assertThat(missing[1]).isZero();
        assertThat(missing[2]).isZero();
    }

    @Test
    void reusedBufferIsFullyOverwritten() {
        var s = new FeatureSchema(List.of(Feature.categorical("c", List.of("a", "b"))));
        var buf = new float[] {7f, 7f, 7f};
        s.encode(row("c", "a"), buf, 1);
        assertThat(buf).containsExactly(7f, 1f, 0f);
        s.encode(row(), buf, 1);
        assertThat(buf).containsExactly(7f, 0f, 0f);
    }

    @Test
    void categoryCapKeepsTheMostFrequentValues() {
        var rows = List.of(row("c", "x"), row("c", "x"), row("c", "y"), row("c", "y"), row("c", "z"));
        FeatureSchema s = new SchemaInference(2).infer(List.of("c"), rows);
        assertThat(s.features().get(0).categories()).containsExactly("x", "y");
    }

    @Test
    void numbersAndTheirTextAreTheSameCategory() {
        var s = new FeatureSchema(List.of(Feature.categorical("store", List.of("3", "7"))));
        assertThat(s.encode(row("store", 3.0))).containsExactly(1f, 0f);
        assertThat(s.encode(row("store", 7))).containsExactly(0f, 1f);
        assertThat(s.encode(row("store", "7"))).containsExactly(0f, 1f);
    }

    @Test
    void survivesAJsonRoundTrip() throws Exception {
        var s = new FeatureSchema(List.of(Feature.numeric("x"), Feature.categorical("c", List.of("a", "b"))));
        var mapper = new ObjectMapper();
        FeatureSchema back = mapper.readValue(mapper.writeValueAsString(s), FeatureSchema.class);
        assertThat(back).isEqualTo(s);
        assertThat(back.width()).isEqualTo(3);
    }
}
