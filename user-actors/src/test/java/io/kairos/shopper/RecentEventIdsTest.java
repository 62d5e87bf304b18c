package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentEventIdsTest {
    @Test
    void remembersTheLastCapacityIdsAndForgetsOlderOnes() {
        var ids = RecentEventIds.empty(3);
        for (var id : new String[] {"e1", "e2", "e3", "e4"}) ids = ids.plus(id);
        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.contains("e1")).isFalse();
        assertThat(ids.contains("e2")).isTrue();
        assertThat(ids.contains("e4")).isTrue();
    }

    @Test
    void addingAKnownIdChangesNothing() {
        var ids = RecentEventIds.empty(3).plus("a").plus("b");
        assertThat(ids.plus("a")).isEqualTo(ids);
    }

    @Test
    void mergingKeepsTheNewestWithinCapacity() {
        var older = RecentEventIds.empty(3).plus("o1").plus("o2");
        var newer = RecentEventIds.empty(3).plus("n1").plus("n2");
        var merged = newer.merge(older);
        assertThat(merged.size()).isEqualTo(3);
        assertThat(merged.contains("o1")).isFalse();
        assertThat(merged.contains("o2")).isTrue();
        assertThat(merged.contains("n2")).isTrue();
    }
}
