package io.kairos.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void remembersTheLatestIdsAndForgetsTheOldestGenerations() {
        var ids = RecentIds.empty(10, 3);
        for (int i = 0; i < 100; i++) ids = ids.withAll(List.of("e" + i));

        assertThat(ids.generations()).hasSize(3);
        assertThat(ids.generations().stream().mapToInt(java.util.Set::size).sum())
                .isLessThanOrEqualTo(30);
        // at least (generations - 1) * size of the latest ids are remembered
        assertThat(IntStream.range(80, 100).mapToObj(i -> "e" + i)).allMatch(ids::contains);
        assertThat(ids.contains("e0")).isFalse();
    }

    @Test
    void unseenKeepsOrderAndDropsRepeatsAndKnownIds() {
        var ids = RecentIds.empty(4, 2).withAll(List.of("a", "b"));

        assertThat(ids.unseen(List.of("c", "a", "d", "c"))).containsExactly("c", "d");
    }
}
