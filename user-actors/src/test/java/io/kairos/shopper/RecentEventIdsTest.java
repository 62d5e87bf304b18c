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

    @Test
    void aWindowWrittenWith64BitFingerprintsStillRecognisesItsIdsAndSerializesAsItReadsBack() throws Exception {
        var old = new long[3];
        var ids = new String[] {"e-1", "e-2", "e-3"};
        for (int i = 0; i < ids.length; i++) {
            // as versions before 48-bit fingerprints wrote them: the first 64 bits of SHA-256
            var d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(ids[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (int b = 0; b < 8; b++) old[i] = (old[i] << 8) | (d[b] & 0xff);
        }
        var window = RecentEventIds.of(old, 1000);
        for (var id : ids) assertThat(window.contains(id)).as(id).isTrue();
        assertThat(window.contains("e-4")).isFalse();
        assertThat(window.plus("e-2")).as("a re-sent id changes nothing").isEqualTo(window);
        var again = RecentEventIds.of(window.fingerprints(), 1000);
        assertThat(again).isEqualTo(window);
        assertThat(again.contains("e-3")).isTrue();
    }
}
