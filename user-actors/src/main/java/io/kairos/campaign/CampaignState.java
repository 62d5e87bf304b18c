package io.kairos.campaign;

import io.kairos.campaign.Ledger.Entry;
import io.kairos.serialization.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A campaign's state: its definition (null until created), status and budget, and the budget ledger.
 *
 * <p>Invariants, kept by {@code CampaignEntity}'s command handlers and checked there before anything is persisted:
 * {@code spent ≤ budget}, and {@code reserved + spent ≤ budget} unless the campaign overbooks
 * ({@link Campaign#overbooking}: new reservations stop at {@code reserved ≤ overbooking × (budget − spent)});
 * {@code reserved} is the sum of the amounts of the ledger's reserved entries and {@code spent} the sum of the actual
 * discounts of its committed entries (compaction only drops finished entries, whose money is already accounted);
 * {@code actual ≤ amount} for every committed entry. Immutable.
 *
 * @param issued reservations ever made (offers issued against the budget)
 * @param redeemed entries committed now (redemptions that were not returned)
 * @param returned redemptions returned by cancelled orders
 * @param released reservations released (expired, revoked) without being spent
 */
public record CampaignState(
        Campaign definition,
        CampaignStatus status,
        BigDecimal budget,
        BigDecimal reserved,
        BigDecimal spent,
        long issued,
        long redeemed,
        long returned,
        long released,
        Ledger ledger)
        implements CborSerializable {

    public static final CampaignState EMPTY =
            new CampaignState(null, null, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0, 0, 0, 0, Ledger.EMPTY);

    /** The state after {@code event}: the campaign's one transition function. */
    public CampaignState apply(CampaignEntity.Event event) {
        if (event instanceof CampaignEntity.CampaignCreated e) return created(e.campaign());
        if (event instanceof CampaignEntity.CampaignUpdated e) return updated(e.status(), e.budget());
        if (event instanceof CampaignEntity.BudgetReserved e) return reserve(e.offerId(), e.amount(), e.expiresAt());
        if (event instanceof CampaignEntity.ReservationCommitted e) return commit(e.offerId(), e.orderId(), e.actual());
        if (event instanceof CampaignEntity.ReservationReleased e) return release(e.offerId(), e.at());
        if (event instanceof CampaignEntity.RedemptionReturned e) {
            return returnRedemption(e.offerId(), e.reinstated(), e.at());
        }
        if (event instanceof CampaignEntity.RedemptionRefunded e)
            return refunded(e.offerId(), e.refundId(), e.amount());
        if (event instanceof CampaignEntity.LedgerCompacted e) return compacted(e.cutoff(), e.committedCutoff());
        throw new IllegalStateException("unhandled event " + event.getClass().getName());
    }

    public boolean exists() {
        return definition != null;
    }

    /** What new coupons may still reserve: the budget neither reserved nor spent, unless overbooked. */
    public BigDecimal available() {
        return definition.available(budget, reserved, spent);
    }

    /**
     * The budget not yet spent, once it is less than one coupon can cost (an overbooked campaign may have more coupons
     * out than that pays); null while any one coupon can still be paid.
     */
    public BigDecimal moneyLeft() {
        var left = budget.subtract(spent);
        return left.compareTo(definition.coupon().maxCost()) < 0 ? left.max(BigDecimal.ZERO) : null;
    }

    public CampaignState created(Campaign c) {
        return new CampaignState(
                c, CampaignStatus.ACTIVE, c.budget(), reserved, spent, issued, redeemed, returned, released, ledger);
    }

    public CampaignState updated(CampaignStatus newStatus, BigDecimal newBudget) {
        return new CampaignState(
                definition,
                newStatus == null ? status : newStatus,
                newBudget == null ? budget : newBudget,
                reserved,
                spent,
                issued,
                redeemed,
                returned,
                released,
                ledger);
    }

    public CampaignState reserve(String offerId, BigDecimal amount, Instant expiresAt) {
        var e = Entry.reserved(offerId, amount, expiresAt);
        return moved(reserved.add(amount), spent, issued + 1, redeemed, returned, released, ledger.with(e));
    }

    public CampaignState commit(String offerId, String orderId, BigDecimal actual) {
        var e = ledger.get(offerId).orElseThrow();
        var entry = e.committed(orderId, actual);
        return moved(
                reserved.subtract(e.amount()),
                spent.add(actual),
                issued,
                redeemed + 1,
                returned,
                released,
                ledger.with(entry));
    }

    public CampaignState release(String offerId, Instant at) {
        var e = ledger.get(offerId).orElseThrow();
        var entry = e.released(at);
        return moved(
                reserved.subtract(e.amount()), spent, issued, redeemed, returned, released + 1, ledger.with(entry));
    }

    /** A committed redemption given back: its spend is undone and, if reinstated, its reservation is held again. */
    public CampaignState returnRedemption(String offerId, boolean reinstated, Instant at) {
        var e = ledger.get(offerId).orElseThrow();
        var held = reinstated ? reserved.add(e.amount()) : reserved;
        var freed = reinstated ? released : released + 1;
        var entry = e.returned(reinstated, at);
        return moved(held, spent.subtract(e.actual()), issued, redeemed - 1, returned + 1, freed, ledger.with(entry));
    }

    /** Part of a redemption given back by a partial refund: that much less is spent; the coupon stays redeemed. */
    public CampaignState refunded(String offerId, String refundId, BigDecimal amount) {
        var e = ledger.get(offerId).orElseThrow();
        return moved(
                reserved,
                spent.subtract(amount),
                issued,
                redeemed,
                returned,
                released,
                ledger.with(e.refunded(refundId, amount)));
    }

    public CampaignState compacted(Instant cutoff, Instant committedCutoff) {
        return moved(
                reserved, spent, issued, redeemed, returned, released, ledger.compactedBefore(cutoff, committedCutoff));
    }

    /** The money, counters and ledger after an offer's reservation moved; the definition, status and budget stay. */
    private CampaignState moved(
            BigDecimal newReserved,
            BigDecimal newSpent,
            long newIssued,
            long newRedeemed,
            long newReturned,
            long newReleased,
            Ledger newLedger) {
        return new CampaignState(
                definition,
                status,
                budget,
                newReserved,
                newSpent,
                newIssued,
                newRedeemed,
                newReturned,
                newReleased,
                newLedger);
    }

    /** The campaign's definition and money now (the reply to {@code Get}). */
    public CampaignSnapshot snapshot() {
        return new CampaignSnapshot(
                definition, status, budget, reserved, spent, issued, redeemed, returned, released, ledger.size());
    }

    /**
     * Replays a campaign's events and returns every state on the way: what the journal check of the invariant reads.
     */
    public static java.util.List<CampaignState> replay(java.util.List<CampaignEntity.Event> events) {
        var states = new java.util.ArrayList<CampaignState>();
        var s = EMPTY;
        for (var e : events) {
            s = s.apply(e);
            states.add(s);
        }
        return states;
    }
}
