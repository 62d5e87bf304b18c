package io.kairos.shopper;

import io.kairos.offer.Checkout.Applied;
import io.kairos.offer.CouponFunnel.Fact;
import io.kairos.offer.DecisionRecord;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferPolicy;
import io.kairos.shopper.ShopperEvent.DeliveryFailed;
import io.kairos.shopper.ShopperEvent.HoldoutAssigned;
import io.kairos.shopper.ShopperEvent.NoOfferDecided;
import io.kairos.shopper.ShopperEvent.OfferClaimed;
import io.kairos.shopper.ShopperEvent.OfferDelivered;
import io.kairos.shopper.ShopperEvent.OfferIssued;
import io.kairos.shopper.ShopperEvent.OfferOpened;
import io.kairos.shopper.ShopperEvent.OrderCancelled;
import io.kairos.shopper.ShopperEvent.OrderPlaced;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The coupon-funnel facts a shopper event stands for: the one mapping both read sides use (the shopper projection
 * writes them to Cassandra, {@link JournalReadSide} folds them straight from the journal), so the two cannot disagree
 * about what an event means. A pure function of the event.
 */
public final class FunnelFacts {
    private FunnelFacts() {}

    public static List<Fact> of(ShopperEvent event) {
        if (event instanceof OfferIssued e) {
            var o = e.offer();
            var facts = new ArrayList<Fact>();
            facts.add(Fact.issued(o.campaignId(), o.offerId(), o.coupon().type().wireName(), o.channel()));
            facts.addAll(decided(e.decision(), null));
            return facts;
        }
        if (event instanceof NoOfferDecided e) return decided(e.decision(), e.outcome());
        if (event instanceof HoldoutAssigned e)
            return List.of(Fact.decided(e.campaignId(), e.decision().decisionId(), "holdout", null));
        if (event instanceof OfferDelivered e)
            return List.of(Fact.delivered(e.campaignId(), e.offerId(), e.messageCost()));
        if (event instanceof DeliveryFailed e) return List.of(Fact.failed(e.campaignId(), e.offerId()));
        if (event instanceof OfferOpened e) return List.of(Fact.opened(e.campaignId(), e.offerId()));
        if (event instanceof OfferClaimed e) return List.of(Fact.claimed(e.campaignId(), e.offerId()));
        if (event instanceof OrderPlaced e) return redeemed(e.order());
        if (event instanceof OrderCancelled e) {
            return e.coupons().stream()
                    .map(c -> Fact.cancelled(c.campaignId(), c.offerId(), e.orderId()))
                    .toList();
        }
        return List.of();
    }

    /**
     * What one decision did with each campaign it considered (see {@link io.kairos.offer.CouponFunnel.Decisions}): the
     * scored candidates by the outcome (a campaign that refused to reserve an earlier choice: by its refusal), then the
     * campaigns its limits left out. {@code outcome} is the {@code NoOfferDecided} outcome, null for an issued offer.
     */
    static List<Fact> decided(DecisionRecord d, String outcome) {
        var reasons = new TreeMap<String, String>();
        String chosen = d.chosenCampaignId();
        var exploration = d.choice().exploration();
        boolean explored = exploration != null
                && exploration.explored()
                && OfferPolicy.EXPLORATION.equals(d.choice().rule());
        if (chosen != null) {
            boolean refused = outcome != null && outcome.startsWith("refused:");
            reasons.put(
                    chosen,
                    refused ? "refused-" + outcome.substring("refused:".length()) : explored ? "explored" : "issued");
        }
        for (var r : d.choice().refused()) reasons.putIfAbsent(r.campaignId(), "refused-" + r.reason());
        for (var c : d.scoring().candidates()) {
            String reason = chosen != null ? "not-chosen" : explored ? "no-offer-explored" : "no-offer-best";
            reasons.putIfAbsent(c.campaignId(), reason);
        }
        for (var limit : d.limits()) {
            int colon = limit.indexOf(':');
            if (colon < 0 || limit.startsWith("holdout:")) continue; // a holdout is its own decision
            reasons.putIfAbsent(limit.substring(colon + 1), "limited-" + limit.substring(0, colon));
        }
        var reservation = d.choice().reservation();
        var facts = new ArrayList<Fact>();
        reasons.forEach((campaign, reason) -> facts.add(Fact.decided(
                campaign,
                d.decisionId(),
                reason,
                "explored".equals(reason) && reservation != null ? reservation.amount() : null)));
        return facts;
    }

    /**
     * One fact per coupon the order used. The order's net amount is the revenue of every campaign it redeemed a coupon
     * of, split evenly between that campaign's coupons in the order (cents; the first by offer id takes the remainder),
     * so a campaign's revenue counts each order once.
     */
    static List<Fact> redeemed(OrderRecord order) {
        var net = order.net();
        var byCampaign = new TreeMap<String, List<Applied>>();
        for (var a : order.applied())
            byCampaign.computeIfAbsent(a.campaignId(), k -> new ArrayList<>()).add(a);
        var facts = new ArrayList<Fact>();
        byCampaign.forEach((campaignId, applied) -> {
            applied.sort(Comparator.comparing(Applied::offerId));
            var share = net.divide(BigDecimal.valueOf(applied.size()), 2, RoundingMode.DOWN);
            var first = net.subtract(share.multiply(BigDecimal.valueOf(applied.size() - 1L)));
            for (int i = 0; i < applied.size(); i++) {
                var a = applied.get(i);
                facts.add(
                        Fact.redeemed(campaignId, a.offerId(), order.orderId(), a.discount(), i == 0 ? first : share));
            }
        });
        return facts;
    }
}
