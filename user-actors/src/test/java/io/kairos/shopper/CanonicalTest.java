package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalTest {

    @Test
    void equalValuesAreAnsweredWithTheFirstInstance() {
        var table = new Canonical<List<String>, List<String>>(10);
        var first = List.of(new String("a"), new String("b"));
        var second = List.of(new String("a"), new String("b"));
        assertThat(table.of(first, first)).isSameAs(first);
        assertThat(table.of(second, second)).isSameAs(first);
        var other = List.of("c");
        assertThat(table.of(other, other)).isSameAs(other);
    }

    @Test
    void theTableStaysWithinItsBoundAndStillAnswersEveryValue() {
        var table = new Canonical<Integer, String>(100);
        for (int i = 0; i < 10_000; i++) {
            var value = "v" + i;
            assertThat(table.of(i, value)).isEqualTo(value);
        }
        // a value asked for again and again is held (one instance) while one-off values come and go
        for (int i = 0; i < 10_000; i++) {
            table.of(-1, new String("hot"));
            table.of(100_000 + i, "once" + i);
        }
        var held = table.of(-1, new String("hot"));
        assertThat(table.of(-1, new String("hot"))).isSameAs(held);
        assertThat(table.size()).isLessThanOrEqualTo(100);
    }
}
