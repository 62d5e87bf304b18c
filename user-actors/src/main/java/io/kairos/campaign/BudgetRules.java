package io.kairos.campaign;

import io.kairos.campaign.CampaignEntity.BudgetReserved;
import io.kairos.campaign.CampaignEntity.Commit;
import io.kairos.campaign.CampaignEntity.Event;
import io.kairos.campaign.CampaignEntity.LedgerCompacted;
import io.kairos.campaign.CampaignEntity.RedemptionRefunded;
import io.kairos.campaign.CampaignEntity.RedemptionReturned;
import io.kairos.campaign.CampaignEntity.RefundRedemption;
import io.kairos.campaign.CampaignEntity.Release;
import io.kairos.campaign.CampaignEntity.ReservationCommitted;
import io.kairos.campaign.CampaignEntity.ReservationReleased;
import io.kairos.campaign.CampaignEntity.Reserve;
import io.kairos.campaign.CampaignEntity.ReserveRefusal;
import io.kairos.campaign.CampaignEntity.ReserveRefused;
import io.kairos.campaign.CampaignEntity.ReserveReply;
import io.kairos.campaign.CampaignEntity.Reserved;
import io.kairos.campaign.CampaignEntity.ReturnRedemption;
import io.kairos.campaign.CampaignEntity.SettleOutcome;
import io.kairos.campaign.CampaignEntity.SettleRefusal;
import io.kairos.campaign.CampaignEntity.SettleRefused;
import io.kairos.campaign.CampaignEntity.SettleReply;
import io.kairos.campaign.CampaignEntity.Settled;
import io.kairos.campaign.Ledger.Status;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a campaign's money: whether a reservation, commit, release or return may happen, and the one event that
 * records it. Every rule checks {@code reserved + spent ≤ budget} against the state before anything is persisted (an
 * overbooked campaign: {@code reserved ≤ overbooking × (budget − spent)} for new reservations, and {@code spent ≤
 * budget} for every commit, which refuses a coupon the budget cannot pay any more), and answers a repeated command as
 * the first time (idempotent by offer and order id). Pure: the entity persists what they return, and sharding runs one
 * entity per campaign, so the invariant holds under any concurrency.
 */
final class BudgetRules {
    private BudgetRules() {}

    /** The reply to a money command, and the event to persist first (null: nothing changes). */
    record Decision<R>(R reply, Event event) {
        static <R> Decision<R> answer(R reply) {
            return new Decision<>(reply, null);
        }
    }

    static Decision<ReserveReply> reserve(CampaignState s, Reserve c, CampaignSettings settings) {
        if (!s.exists()) return refuse(c, ReserveRefusal.UNKNOWN);
        var existing = s.ledger().get(c.offerId());
        if (existing.isPresent()) {
            var e = existing.get();
            return e.status() == Status.RELEASED
                    ? refuse(c, ReserveRefusal.RELEASED)
                    : Decision.answer(new Reserved(c.offerId(), e.amount()));
        }
        if (c.amount().signum() <= 0 || !c.expiresAt().isAfter(c.at())) return refuse(c, ReserveRefusal.INVALID);
        if (s.status() != CampaignStatus.ACTIVE) return refuse(c, ReserveRefusal.PAUSED);
        if (!s.definition().runsAt(c.at())) return refuse(c, ReserveRefusal.NOT_RUNNING);
        if (s.ledger().size() >= settings.maxOpenEntries()) return refuse(c, ReserveRefusal.CAPACITY);
        var reserving = s.reserved().add(c.amount());
        if (!fits(s.definition(), s.spent(), reserving, s.budget())) return refuse(c, ReserveRefusal.BUDGET);
        var allowance = Pacing.allowance(s.definition(), s.budget(), c.at(), settings.pacingInitialShare());
        if (!fits(s.definition(), s.spent(), reserving, allowance)) return refuse(c, ReserveRefusal.PACING);
        return new Decision<>(
                new Reserved(c.offerId(), c.amount()),
                new BudgetReserved(c.offerId(), c.amount(), c.expiresAt(), c.at()));
    }

    /**
     * Whether {@code reserved} fits under {@code limit} (the budget, or the pacing allowance) beside {@code spent}:
     * {@code reserved ≤ overbooking × (limit − spent)}; without overbooking, {@code reserved + spent ≤ limit}.
     */
    private static boolean fits(Campaign c, BigDecimal spent, BigDecimal reserved, BigDecimal limit) {
        var room = limit.subtract(spent);
        return room.signum() >= 0 && reserved.compareTo(c.reservable().multiply(room)) <= 0;
    }

    private static Decision<ReserveReply> refuse(Reserve c, ReserveRefusal reason) {
        return Decision.answer(new ReserveRefused(c.offerId(), reason));
    }

    static Decision<SettleReply> commit(CampaignState s, Commit c, CampaignSettings settings) {
        var entry = s.ledger().get(c.offerId());
        if (entry.isEmpty()) return refuse(c.offerId(), SettleRefusal.UNKNOWN_OFFER);
        var e = entry.get();
        return switch (e.status()) {
            case COMMITTED ->
                c.orderId().equals(e.orderId())
                        ? settled(c.offerId(), SettleOutcome.COMMITTED)
                        : refuse(c.offerId(), SettleRefusal.ALREADY_REDEEMED);
            case RELEASED -> refuse(c.offerId(), SettleRefusal.RELEASED);
            case RESERVED -> {
                if (e.returnedOrders().contains(c.orderId())) yield refuse(c.offerId(), SettleRefusal.RETURNED);
                if (c.actual().signum() < 0 || c.actual().compareTo(e.amount()) > 0) {
                    yield refuse(c.offerId(), SettleRefusal.EXCEEDS_RESERVATION);
                }
                if (!c.at().isBefore(e.expiresAt().plus(settings.expiryGrace()))) {
                    yield refuse(c.offerId(), SettleRefusal.EXPIRED);
                }
                // Only an overbooked campaign gets here: it cannot pay this coupon any more, which it releases.
                if (s.spent().add(c.actual()).compareTo(s.budget()) > 0) {
                    yield new Decision<>(
                            new SettleRefused(c.offerId(), SettleRefusal.BUDGET),
                            new ReservationReleased(c.offerId(), "budget", c.at()));
                }
                yield new Decision<>(
                        new Settled(c.offerId(), SettleOutcome.COMMITTED),
                        new ReservationCommitted(c.offerId(), c.orderId(), c.actual(), c.at()));
            }
        };
    }

    static Decision<SettleReply> release(CampaignState s, Release c) {
        var entry = s.ledger().get(c.offerId());
        if (entry.isEmpty()) return refuse(c.offerId(), SettleRefusal.UNKNOWN_OFFER);
        return switch (entry.get().status()) {
            case RELEASED -> settled(c.offerId(), SettleOutcome.RELEASED);
            case COMMITTED -> refuse(c.offerId(), SettleRefusal.REDEEMED);
            case RESERVED ->
                new Decision<>(
                        new Settled(c.offerId(), SettleOutcome.RELEASED),
                        new ReservationReleased(c.offerId(), c.reason(), c.at()));
        };
    }

    /**
     * A cancelled order gives its redemption back. Holding the reservation again ({@code reinstate}) must itself
     * respect the budget: the room the commit freed may be taken meanwhile.
     */
    static Decision<SettleReply> returnRedemption(CampaignState s, ReturnRedemption c) {
        var entry = s.ledger().get(c.offerId());
        if (entry.isEmpty()) return refuse(c.offerId(), SettleRefusal.UNKNOWN_OFFER);
        var e = entry.get();
        if (e.returnedOrders().contains(c.orderId())) {
            // A duplicate: answer what was decided the first time.
            return settled(
                    c.offerId(), e.status() == Status.RELEASED ? SettleOutcome.RELEASED : SettleOutcome.REINSTATED);
        }
        if (e.status() != Status.COMMITTED || !c.orderId().equals(e.orderId())) {
            return refuse(c.offerId(), SettleRefusal.NOT_REDEEMED);
        }
        boolean reinstate = c.reinstate()
                && c.at().isBefore(e.expiresAt())
                && fits(
                        s.definition(),
                        s.spent().subtract(e.actual()),
                        s.reserved().add(e.amount()),
                        s.budget());
        return new Decision<>(
                new Settled(c.offerId(), reinstate ? SettleOutcome.REINSTATED : SettleOutcome.RELEASED),
                new RedemptionReturned(c.offerId(), c.orderId(), reinstate, c.at()));
    }

    /**
     * A partial refund gives part of a committed redemption back: at most what is left of its discount, once per refund
     * id (a duplicate answers the same). Refused when the offer is not committed to that order.
     */
    static Decision<SettleReply> refundRedemption(CampaignState s, RefundRedemption c) {
        var entry = s.ledger().get(c.offerId());
        if (entry.isEmpty()) return refuse(c.offerId(), SettleRefusal.UNKNOWN_OFFER);
        var e = entry.get();
        if (e.refunds().contains(c.refundId())) return settled(c.offerId(), SettleOutcome.REFUNDED);
        if (e.status() != Status.COMMITTED || !c.orderId().equals(e.orderId())) {
            return refuse(c.offerId(), SettleRefusal.NOT_REDEEMED);
        }
        if (c.amount().signum() < 0 || c.amount().compareTo(e.actual()) > 0) {
            return refuse(c.offerId(), SettleRefusal.EXCEEDS_RESERVATION);
        }
        return new Decision<>(
                new Settled(c.offerId(), SettleOutcome.REFUNDED),
                new RedemptionRefunded(c.offerId(), c.orderId(), c.refundId(), c.amount(), c.at()));
    }

    /** Releases (at most {@code batch}) reservations expired past the grace, and compacts the ledger when it can. */
    static List<Event> sweep(CampaignState s, Instant now, CampaignSettings settings, int batch) {
        var events = new ArrayList<Event>();
        if (!s.exists()) return events;
        for (var e : s.ledger().reservedExpiredBy(now.minus(settings.expiryGrace()), batch)) {
            events.add(new ReservationReleased(e.offerId(), "expired", now));
        }
        var cutoff = now.minus(settings.ledgerRetention());
        var committedCutoff = now.minus(settings.refundWindow());
        if (s.ledger().compactedBefore(cutoff, committedCutoff).size()
                < s.ledger().size()) {
            events.add(new LedgerCompacted(cutoff, now, committedCutoff));
        }
        return events;
    }

    private static Decision<SettleReply> refuse(String offerId, SettleRefusal reason) {
        return Decision.answer(new SettleRefused(offerId, reason));
    }

    private static Decision<SettleReply> settled(String offerId, SettleOutcome outcome) {
        return Decision.answer(new Settled(offerId, outcome));
    }
}
