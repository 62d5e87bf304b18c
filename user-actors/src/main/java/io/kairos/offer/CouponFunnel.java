package io.kairos.offer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A campaign's coupon funnel per coupon type × channel: how many distinct offers were issued, delivered, opened,
 * claimed and redeemed, what the redeeming orders brought in, what it cost, and the ROI.
 *
 * <p>It is built from {@link Fact}s, each about one offer and keyed by (campaign, offer, entry); a fact with a key
 * already seen replaces what it sets, exactly like the upsert of the Cassandra row ({@code FunnelStore}) it becomes, so
 * facts delivered more than once change nothing. Definitions:
 *
 * <ul>
 *   <li>a stage counts offers, not events (an offer opened five times is opened once); stages are counted independently
 *       (an offer claimed in the app without opening a message counts as claimed, not as opened);
 *   <li>an offer is counted only once its issue is known (a fact about an offer whose {@code issued} fact is missing
 *       waits for it);
 *   <li>redeemed: offers used by at least one order that is not cancelled; revenue: those orders' net amounts (items
 *       after coupons), an order redeeming several of the campaign's offers split evenly between them, so a campaign
 *       counts each order once; a cancelled order counts neither revenue nor discount;
 *   <li>cost = discounts given by those orders + message costs of delivered offers; ROI = (revenue − cost) / cost, null
 *       while the cost is 0.
 * </ul>
 */
public final class CouponFunnel {

    public static final String ISSUED = "issued";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";
    static final String OPENED = "opened";
    public static final String CLAIMED = "claimed";
    public static final String ORDER = "order:";
    static final String DECISION = "decision:";

    /**
     * One thing that happened to one offer. {@code cancel} facts set only the cancellation of the order entry they
     * name; every other fact sets all of its columns.
     */
    public record Fact(
            String campaignId,
            String offerId,
            String entry,
            String couponType,
            String channel,
            BigDecimal amount,
            BigDecimal revenue,
            boolean cancel) {

        public static Fact issued(String campaignId, String offerId, String couponType, String channel) {
            return new Fact(campaignId, offerId, ISSUED, couponType, channel, null, null, false);
        }

        public static Fact delivered(String campaignId, String offerId, BigDecimal messageCost) {
            return new Fact(
                    campaignId,
                    offerId,
                    DELIVERED,
                    null,
                    null,
                    messageCost == null ? BigDecimal.ZERO : messageCost,
                    null,
                    false);
        }

        /** Dispatch gave up delivering the offer through {@code channel}. */
        public static Fact failed(String campaignId, String offerId) {
            return new Fact(campaignId, offerId, FAILED, null, null, null, null, false);
        }

        public static Fact opened(String campaignId, String offerId) {
            return new Fact(campaignId, offerId, OPENED, null, null, null, null, false);
        }

        public static Fact claimed(String campaignId, String offerId) {
            return new Fact(campaignId, offerId, CLAIMED, null, null, null, null, false);
        }

        /** The offer was used by {@code orderId}: the discount it gave and its share of the order's net amount. */
        public static Fact redeemed(
                String campaignId, String offerId, String orderId, BigDecimal discount, BigDecimal revenue) {
            return new Fact(campaignId, offerId, ORDER + orderId, null, null, discount, revenue, false);
        }

        public static Fact cancelled(String campaignId, String offerId, String orderId) {
            return new Fact(campaignId, offerId, ORDER + orderId, null, null, null, null, true);
        }

        /**
         * What one decision did with the campaign ({@link Decisions} lists the reasons), keyed by the decision's id;
         * {@code reserved}: the budget reserved for an offer exploration issued, else null.
         */
        public static Fact decided(String campaignId, String decisionId, String reason, BigDecimal reserved) {
            return new Fact(campaignId, decisionId, DECISION + reason, null, null, reserved, null, false);
        }
    }

    /**
     * How the decisions that considered the campaign ended for it, counted by reason: {@code issued} (ranked best),
     * {@code explored} (issued by the exploration draw), {@code not-chosen} (another campaign's offer was issued),
     * {@code no-offer-best} ("no offer" ranked best: no candidate had a positive expected value),
     * {@code no-offer-explored} (the exploration draw chose "no offer" over a candidate ranked better; when "no offer"
     * ranked best the draw is counted as {@code no-offer-best}), {@code refused-<reason>} (chosen, but the campaign
     * refused the reservation: budget, pacing, …, or {@code unavailable} when it did not answer), {@code holdout} (the
     * shopper is in its control group) and {@code limited-<limit>} (left out before scoring while another campaign was
     * scored: {@code campaign-cap}, {@code live-offer}, {@code budget}, {@code no-channel}). Decisions with no
     * candidate at all (e.g. the contact cap) are not recorded and not counted.
     *
     * @param exploredReserved the budget reserved by offers exploration issued (what exploring costs at most)
     */
    public record Decisions(Map<String, Long> byReason, BigDecimal exploredReserved) {}

    /**
     * One line of the funnel; {@code couponType} and {@code channel} are null on the total. {@code undelivered}: offers
     * whose delivery failed and that were never delivered (beside the funnel, not a stage of it).
     */
    public record Row(
            String couponType,
            String channel,
            long issued,
            long delivered,
            long opened,
            long claimed,
            long redeemed,
            long undelivered,
            BigDecimal revenue,
            BigDecimal discounts,
            BigDecimal messageCost,
            BigDecimal cost,
            Double roi) {}

    /**
     * The funnel of one campaign: the total, one row per coupon type × channel (sorted by both), and how the decisions
     * that considered it ended.
     */
    public record Result(Row total, List<Row> rows, Decisions decisions) {}

    private CouponFunnel() {}

    /** What one offer has reached, as its rows hold it. */
    private static final class OfferRow {
        String couponType;
        String channel;
        boolean issued;
        BigDecimal messageCost;
        boolean failed;
        boolean opened;
        boolean claimed;
        final Map<String, Redemption> orders = new HashMap<>();
    }

    private static final class Redemption {
        BigDecimal discount;
        BigDecimal revenue;
        boolean cancelled;
    }

    /** Collects facts (or stored rows) of one campaign; not thread-safe. */
    public static final class Builder {
        private final Map<String, OfferRow> offers = new LinkedHashMap<>();
        private final Map<String, Long> decisions = new TreeMap<>();
        private BigDecimal exploredReserved = BigDecimal.ZERO;

        public Builder add(Fact f) {
            if (f.cancel()) return row(f.offerId(), f.entry(), null, null, null, null, true);
            return row(f.offerId(), f.entry(), f.couponType(), f.channel(), f.amount(), f.revenue(), null);
        }

        /** One stored row; {@code cancelled} null = not set (the column is absent). */
        public Builder row(
                String offerId,
                String entry,
                String couponType,
                String channel,
                BigDecimal amount,
                BigDecimal revenue,
                Boolean cancelled) {
            if (entry.startsWith(DECISION)) {
                // one row per (decision, reason): a redelivered fact is the same row, read once
                decisions.merge(entry.substring(DECISION.length()), 1L, Long::sum);
                if (amount != null) exploredReserved = exploredReserved.add(amount);
                return this;
            }
            var o = offers.computeIfAbsent(offerId, k -> new OfferRow());
            switch (entry) {
                case ISSUED -> {
                    o.issued = true;
                    o.couponType = couponType;
                    o.channel = channel;
                }
                case DELIVERED -> o.messageCost = amount == null ? BigDecimal.ZERO : amount;
                case FAILED -> o.failed = true;
                case OPENED -> o.opened = true;
                case CLAIMED -> o.claimed = true;
                default -> {
                    if (!entry.startsWith(ORDER)) throw new IllegalArgumentException("unknown funnel entry " + entry);
                    var r = o.orders.computeIfAbsent(entry.substring(ORDER.length()), k -> new Redemption());
                    if (cancelled != null) r.cancelled = r.cancelled || cancelled;
                    if (amount != null) r.discount = amount;
                    if (revenue != null) r.revenue = revenue;
                }
            }
            return this;
        }

        public Result result() {
            var groups = new TreeMap<String, Totals>();
            var total = new Totals(null, null);
            for (var o : offers.values()) {
                if (!o.issued) continue;
                var type = o.couponType == null ? "unknown" : o.couponType;
                var channel = o.channel == null ? "none" : o.channel;
                groups.computeIfAbsent(type + "\u0000" + channel, k -> new Totals(type, channel))
                        .add(o);
                total.add(o);
            }
            var rows = new ArrayList<Row>();
            for (var t : groups.values()) rows.add(t.row());
            rows.sort(Comparator.comparing(Row::couponType).thenComparing(Row::channel));
            return new Result(
                    total.row(),
                    List.copyOf(rows),
                    new Decisions(java.util.Collections.unmodifiableMap(new TreeMap<>(decisions)), exploredReserved));
        }
    }

    private static final class Totals {
        final String couponType;
        final String channel;
        long issued;
        long delivered;
        long opened;
        long claimed;
        long redeemed;
        long undelivered;
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal discounts = BigDecimal.ZERO;
        BigDecimal messageCost = BigDecimal.ZERO;

        Totals(String couponType, String channel) {
            this.couponType = couponType;
            this.channel = channel;
        }

        void add(OfferRow o) {
            issued++;
            if (o.messageCost != null) {
                delivered++;
                messageCost = messageCost.add(o.messageCost);
            }
            if (o.failed && o.messageCost == null) undelivered++;
            if (o.opened) opened++;
            if (o.claimed) claimed++;
            boolean used = false;
            for (var r : o.orders.values()) {
                // An order entry seen only through its cancellation (its redemption row missing) adds nothing.
                if (r.cancelled || r.discount == null) continue;
                used = true;
                discounts = discounts.add(r.discount);
                if (r.revenue != null) revenue = revenue.add(r.revenue);
            }
            if (used) redeemed++;
        }

        Row row() {
            var cost = discounts.add(messageCost);
            Double roi = cost.signum() == 0
                    ? null
                    : revenue.subtract(cost)
                            .divide(cost, MathContext.DECIMAL64)
                            .setScale(6, java.math.RoundingMode.HALF_EVEN)
                            .doubleValue();
            return new Row(
                    couponType,
                    channel,
                    issued,
                    delivered,
                    opened,
                    claimed,
                    redeemed,
                    undelivered,
                    revenue,
                    discounts,
                    messageCost,
                    cost,
                    roi);
        }
    }
}
