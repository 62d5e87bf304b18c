package io.kairos.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A campaign's ledger finds, lists and sweeps its entries by offer id, whether the id is packed (as Kairos issues them:
 * {@code of-} and a UUID) or held as given.
 */
class LedgerTest {
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    private static final BigDecimal FIVE = new BigDecimal("5.00");

    private static String issued() {
        return "of-" + UUID.randomUUID();
    }

    @Test
    void entriesAreFoundAndListedByOfferIdWhateverTheirForm() {
        var ids = List.of(issued(), issued(), "manual-offer", issued(), "of-not-a-uuid");
        var ledger = Ledger.EMPTY;
        for (var id : ids) ledger = ledger.with(Ledger.Entry.reserved(id, FIVE, T.plusSeconds(60)));

        assertThat(ledger.size()).isEqualTo(5);
        for (var id : ids) {
            assertThat(ledger.get(id)).as(id).hasValueSatisfying(e -> assertThat(e.offerId())
                    .isEqualTo(id));
        }
        assertThat(ledger.get(issued())).isEmpty();
        assertThat(ledger.entries())
                .extracting(Ledger.Entry::offerId)
                .containsExactlyElementsOf(ids.stream().sorted().toList());
        assertThat(Ledger.of(ledger.entries())).isEqualTo(ledger);
        assertThat(ledger.without(ids.get(0)).get(ids.get(0))).isEmpty();
        assertThat(ledger.without(ids.get(0)).size()).isEqualTo(4);
    }

    @Test
    void theSweepTakesReservedEntriesPastTheCutoffOldestFirstThenByOfferId() {
        var a = issued();
        var b = issued();
        var later = issued();
        var committed = issued();
        var ledger = Ledger.EMPTY
                .with(Ledger.Entry.reserved(later, FIVE, T.plusSeconds(30)))
                .with(Ledger.Entry.reserved(b, FIVE, T))
                .with(Ledger.Entry.reserved(a, FIVE, T))
                .with(Ledger.Entry.reserved(committed, FIVE, T).committed("o-1", FIVE))
                .with(Ledger.Entry.reserved(issued(), FIVE, T.plusSeconds(3600)));
        var first = a.compareTo(b) < 0 ? a : b;
        var second = first.equals(a) ? b : a;

        assertThat(ledger.reservedExpiredBy(T.plusSeconds(60), 10))
                .extracting(Ledger.Entry::offerId)
                .containsExactly(first, second, later);
        assertThat(ledger.reservedExpiredBy(T.plusSeconds(60), 2))
                .extracting(Ledger.Entry::offerId)
                .containsExactly(first, second);
        assertThat(ledger.reservedExpiredBy(T.minusSeconds(1), 10)).isEmpty();
    }
}
