package io.kairos.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What entities hold packed comes back exactly as it went in ({@link PackedIds}, {@link PackedTimes},
 * {@link PackedDecimals}), and what cannot be packed is said so, to be kept as it is.
 */
class PackedFormsTest {
    private static final Random RANDOM = new Random(21);

    @Test
    void aDecisionIdUnpacksToTheSameStringAndOnlyCanonicalUuidsPack() {
        for (int i = 0; i < 1_000; i++) {
            var id = UUID.randomUUID().toString();
            assertThat(PackedIds.isUuid(id)).isTrue();
            long high = PackedIds.uuidHigh(id);
            long low = PackedIds.uuidLow(id);
            assertThat(PackedIds.uuid(high, low)).isEqualTo(id);
            assertThat(PackedIds.isUuid(id, high, low)).isTrue();
            assertThat(PackedIds.isUuid(UUID.randomUUID().toString(), high, low))
                    .isFalse();
            assertThat(PackedIds.isUuid("of-" + id, 3, high, low))
                    .as("after a prefix")
                    .isTrue();
            assertThat(PackedIds.isUuid("of-" + id.toUpperCase(), 3, high, low))
                    .as("the same digits in upper case")
                    .isFalse();
            assertThat(PackedIds.isUuid("of-" + id + "x", 3, high, low)).isFalse();
        }
        assertThat(PackedIds.isUuid("3F1C2D4E-5B6A-4C7D-8E9F-A0B1C2D3E4F5"))
                .as("upper case would not unpack to itself")
                .isFalse();
        assertThat(PackedIds.isUuid("00000000-0000-0000-0000-000000000000")).isFalse();
        assertThat(PackedIds.isUuid("d-1")).isFalse();
        assertThat(PackedIds.isUuid("3f1c2d4e5b6a-4c7d-8e9f-a0b1c2d3e4f5x")).isFalse();
        assertThat(PackedIds.isUuid(null)).isFalse();
    }

    @Test
    void aCouponCodeUnpacksToTheSameStringAndOtherIdsDoNotPack() {
        var alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        for (int i = 0; i < 1_000; i++) {
            var sb = new StringBuilder("cp-");
            for (int c = 0; c < 12; c++) sb.append(alphabet.charAt(RANDOM.nextInt(32)));
            var code = PackedIds.couponCode(sb.toString());
            assertThat(code).isNotEqualTo(PackedIds.NOT_PACKED);
            assertThat(PackedIds.couponId(code)).isEqualTo(sb.toString());
        }
        for (var other : new String[] {"SUMMER10", "cp-ABCDEFGHJKMI", "cp-abcdefghjkmn", "cp-ABC", "", null}) {
            assertThat(PackedIds.couponCode(other)).as(other).isEqualTo(PackedIds.NOT_PACKED);
        }
    }

    @Test
    void aSpanGivesBackTheInstantToTheNanosecondOrKeepsItWhenItDoesNotFit() {
        var from = Instant.parse("2026-11-10T12:00:00.123456789Z");
        for (int i = 0; i < 1_000; i++) {
            var to = from.plusNanos(RANDOM.nextLong() / 4);
            long span = PackedTimes.span(from, to);
            assertThat(span).isNotIn(PackedTimes.NONE, PackedTimes.FAR);
            assertThat(PackedTimes.end(from, span, null)).isEqualTo(to);
        }
        assertThat(PackedTimes.end(from, PackedTimes.span(from, null), null)).isNull();
        var far = from.plus(Duration.ofDays(365L * 400));
        assertThat(PackedTimes.span(from, far)).isEqualTo(PackedTimes.FAR);
        assertThat(PackedTimes.end(from, PackedTimes.FAR, far)).isSameAs(far);
        assertThat(PackedTimes.span(null, far)).isEqualTo(PackedTimes.FAR);
    }

    @Test
    void anAmountUnpacksEqualScaleIncludedOrIsKeptWhenItDoesNotFit() {
        for (var text : new String[] {"0", "74.50", "74.5", "-3.25", "0.000000000000001", "123456789012345.67", "9"}) {
            var amount = new BigDecimal(text);
            long packed = PackedDecimals.pack(amount);
            assertThat(packed).as(text).isNotIn(PackedDecimals.NONE, PackedDecimals.WIDE);
            assertThat(PackedDecimals.unpack(packed, null)).as(text).isEqualTo(amount);
        }
        for (int i = 0; i < 1_000; i++) {
            var amount = BigDecimal.valueOf(RANDOM.nextLong() >> 8, RANDOM.nextInt(16));
            assertThat(PackedDecimals.unpack(PackedDecimals.pack(amount), null)).isEqualTo(amount);
        }
        for (var text : new String[] {"1E+3", "12345678901234567890", "0.0000000000000001"}) {
            assertThat(PackedDecimals.pack(new BigDecimal(text))).as(text).isEqualTo(PackedDecimals.WIDE);
        }
        var huge = BigDecimal.valueOf(-(1L << 59));
        assertThat(PackedDecimals.pack(huge)).isEqualTo(PackedDecimals.WIDE);
        assertThat(PackedDecimals.unpack(PackedDecimals.pack(null), null)).isNull();
    }
}
