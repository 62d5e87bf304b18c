package io.kairos.shopper;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.kairos.campaign.CampaignEntity;
import io.kairos.campaign.CampaignEntity.Commit;
import io.kairos.campaign.CampaignEntity.RefundRedemption;
import io.kairos.campaign.CampaignEntity.ReturnRedemption;
import io.kairos.campaign.CampaignEntity.SettleRefused;
import io.kairos.campaign.CampaignEntity.SettleReply;
import io.kairos.campaign.CampaignEntity.Settled;
import io.kairos.offer.Checkout;
import io.kairos.offer.OfferBook;
import io.kairos.offer.OfferBook.OrderRecord;
import io.kairos.offer.OfferMetrics;
import io.kairos.offer.OfferStatus;
import io.kairos.shopper.InFlight.Cancelling;
import io.kairos.shopper.InFlight.Ordering;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.shopper.ShopperEvent.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's wallet, checkout and orders: claims, quotes, orders that redeem coupons, cancellations that give them
 * back, and dispatch's delivery results.
 *
 * <p><b>An order</b> redeems its coupons atomically: every coupon is checked (usable, applicable, one per stack group),
 * the campaigns commit the actual discounts first, and only then is the order persisted; a commit refused by any
 * campaign fails the whole order (the others are given back). The campaign is thus the authority on whether the
 * coupon's money still exists, and a recorded order always has its spend recorded. <b>A cancellation</b> is persisted
 * first and the budget is then given back (asked at once, and delivered again by the shopper projection if that ask
 * fails), so the campaign's books never show money returned for an order that still stands.
 *
 * <p>Takes what it needs and returns effects; it never calls back into the entity. While an order or a cancellation
 * waits on its campaigns, {@link InFlight} holds it.
 */
record Redemptions(PersonContext ctx) {
    private static final Logger log = LoggerFactory.getLogger(Redemptions.class);

    // ---- wallet ----

    ReplyEffect<ShopperEvent, ShopperState> onClaim(Person s, ClaimCoupon c) {
        var offer = s.offers().byCoupon(c.couponId());
        if (offer.isEmpty()) {
            return ctx.effects()
                    .reply(
                            c.replyTo(),
                            new ClaimRejected(
                                    ClaimRejection.NOT_FOUND, "no coupon " + c.couponId() + " in this wallet"));
        }
        var o = offer.get();
        var status = o.statusAt(c.now());
        if (status == OfferStatus.CLAIMED)
            return ctx.effects().reply(c.replyTo(), new CouponClaimed(ctx.shopperId(), o.asOf(c.now())));
        if (!status.live()) {
            return ctx.effects()
                    .reply(
                            c.replyTo(),
                            new ClaimRejected(ClaimRejection.NOT_CLAIMABLE, "the coupon is " + status.wireName()));
        }
        return ctx.persist(new OfferClaimed(o.offerId(), o.campaignId(), o.decisionId(), c.now()))
                .thenReply(
                        c.replyTo(),
                        st -> new CouponClaimed(
                                ctx.shopperId(),
                                ((Person) st).offers().byCoupon(c.couponId()).orElseThrow()));
    }

    /** Records a delivery result once per offer: only while the offer is still issued (see {@link RecordDelivery}). */
    ReplyEffect<ShopperEvent, ShopperState> onDelivery(Person s, RecordDelivery c) {
        var offer = s.offers().byOffer(c.offerId());
        if (offer.isEmpty() || offer.get().status() != OfferStatus.ISSUED) {
            return ctx.effects().reply(c.replyTo(), Done.getInstance());
        }
        var o = offer.get();
        ShopperEvent event = c.delivered()
                ? new OfferDelivered(o.offerId(), o.campaignId(), o.decisionId(), c.channel(), c.messageCost(), c.at())
                : new DeliveryFailed(o.offerId(), o.campaignId(), o.decisionId(), c.channel(), c.detail(), c.at());
        return ctx.persist(event).thenReply(c.replyTo(), st -> Done.getInstance());
    }

    ReplyEffect<ShopperEvent, ShopperState> onRevoke(Person s, RevokeOffer c) {
        var offer = s.offers().byOffer(c.offerId());
        if (offer.isEmpty() || !offer.get().status().live())
            return ctx.effects().reply(c.replyTo(), Done.getInstance());
        return ctx.persist(new OfferRevoked(c.offerId(), c.reason(), c.at()))
                .thenReply(c.replyTo(), st -> Done.getInstance());
    }

    // ---- checkout ----

    ReplyEffect<ShopperEvent, ShopperState> onQuote(Person s, QuoteCheckout c) {
        return ctx.effects().reply(c.replyTo(), CheckoutRules.quote(ctx.shopperId(), s, c, ctx.moneyLeft()));
    }

    ReplyEffect<ShopperEvent, ShopperState> onGetPrices(Person s, GetPrices c) {
        return ctx.effects().reply(c.replyTo(), ctx.wallets().answer(ctx.shopperId(), s, c, ctx.moneyLeft()));
    }

    // ---- orders ----

    ReplyEffect<ShopperEvent, ShopperState> onPlaceOrder(Person s, PlaceOrder c) {
        var known = s.offers().order(c.orderId());
        if (known.isPresent())
            return ctx.effects().reply(c.replyTo(), new OrderAccepted(ctx.shopperId(), known.get(), true));
        var placement = CheckoutRules.order(s, c);
        if (placement.rejected() != null) return ctx.effects().reply(c.replyTo(), placement.rejected());
        var order = placement.order();
        if (order.applied().isEmpty()) return persistOrder(s, order, c.replyTo());
        ctx.inFlight().start(new Ordering(order, c.replyTo()));
        askAll(
                order.applied().stream()
                        .map(a -> (Function<ActorRef<SettleReply>, CampaignEntity.Command>)
                                r -> new Commit(a.offerId(), c.orderId(), a.discount(), c.now(), r))
                        .toList(),
                order.applied().stream().map(Checkout.Applied::campaignId).toList(),
                (replies, failure) -> new CommitsAnswered(c.orderId(), replies, failure));
        return ctx.effects().noReply();
    }

    ReplyEffect<ShopperEvent, ShopperState> onCommitsAnswered(Person s, CommitsAnswered m) {
        return ctx.inFlight()
                .take(Ordering.class, o -> o.order().orderId().equals(m.orderId()))
                .map(o -> committed(s, o, m))
                .orElseGet(() -> ctx.effects().noReply()); // a stale answer
    }

    /** The campaigns answered an order's commits: persist the order, or reject it and give back what landed. */
    private ReplyEffect<ShopperEvent, ShopperState> committed(Person s, Ordering o, CommitsAnswered m) {
        if (m.failure() != null) {
            // Commits that did land stay committed: a retry with the same order id commits them again idempotently.
            return reject(
                            o.replyTo(),
                            OrderRejection.UNAVAILABLE,
                            "a campaign did not confirm the coupons' budget in time; retry with the same orderId")
                    .thenUnstashAll();
        }
        var refused = m.replies().stream()
                .filter(r -> r instanceof SettleRefused)
                .map(r -> (SettleRefused) r)
                .toList();
        if (refused.isEmpty()) return persistOrder(s, o.order(), o.replyTo()).thenUnstashAll();
        var now = o.order().placedAt();
        for (var r : m.replies()) {
            if (r instanceof Settled ok) {
                var applied = o.order().applied().stream()
                        .filter(a -> a.offerId().equals(ok.offerId()))
                        .findFirst()
                        .orElseThrow();
                ctx.services()
                        .campaigns()
                        .apply(applied.campaignId())
                        .tell(new ReturnRedemption(
                                ok.offerId(),
                                o.order().orderId(),
                                true,
                                now,
                                ctx.actor().getSystem().ignoreRef()));
            }
        }
        // The campaign holds no money for these any more (released after expiry, unknown, or an overbooked campaign's
        // budget spent): they cannot be honoured.
        // Any other refusal (already redeemed, over its reservation) leaves the offer as it is.
        var events = refused.stream()
                .filter(r -> r.reason().moneyGone())
                .<ShopperEvent>map(r ->
                        new OfferRevoked(r.offerId(), "campaign: " + r.reason().wireName(), now))
                .toList();
        var detail = refused.stream()
                .map(r -> r.offerId() + " " + r.reason().wireName())
                .collect(Collectors.joining(", ", "coupon budget refused: ", ""));
        return persistOrNone(events)
                .thenReply(o.replyTo(), st -> new OrderRejected(OrderRejection.COUPON_NOT_USABLE, detail))
                .thenUnstashAll();
    }

    private ReplyEffect<ShopperEvent, ShopperState> persistOrder(
            Person s, OrderRecord order, ActorRef<OrderReply> replyTo) {
        var changes = new Changes(s);
        ctx.rules().adoptPolicyIfNone(changes);
        var before = changes.person();
        changes.add(new OrderPlaced(order, before.book().knows(order.orderId())));
        ShopperRules.outcomes(changes, before, order.orderId(), order.placedAt());
        ctx.rules()
                .transition(
                        changes,
                        order.placedAt(),
                        order.placedAt(),
                        ctx.services().lifecycle().get());
        order.applied().forEach(a -> OfferMetrics.redeemed(a.campaignId()));
        return ctx.persist(changes.events())
                .thenRun(st -> ctx.wakeIfDue(st, order.placedAt()))
                .thenReply(replyTo, st -> new OrderAccepted(ctx.shopperId(), order, false));
    }

    ReplyEffect<ShopperEvent, ShopperState> onCancelOrder(Person s, CancelOrder c) {
        var order = s.offers().order(c.orderId());
        if (order.isEmpty()) return unknownOrder(s, c.replyTo(), c.orderId(), "");
        if (order.get().cancelled())
            return ctx.effects().reply(c.replyTo(), new OrderAccepted(ctx.shopperId(), order.get(), true));
        var returned = order.get().applied().stream()
                .map(a -> RefundRules.givenBack(s, a, true, c.now()))
                .toList();
        var changes = new Changes(s);
        var cancelledEvent = new OrderCancelled(c.orderId(), c.now(), returned);
        var after = changes.add(cancelledEvent);
        ShopperRules.outcomes(changes, s, c.orderId(), c.now());
        var cancelled = after.offers().order(c.orderId()).orElseThrow();
        if (cancelled.applied().isEmpty()) {
            return ctx.persist(changes.events())
                    .thenReply(c.replyTo(), st -> new OrderAccepted(ctx.shopperId(), cancelled, false));
        }
        var reinstated = cancelledEvent.reinstated();
        ctx.inFlight().start(new Cancelling(cancelled, reinstated, c.replyTo()));
        return ctx.persist(changes.events())
                .thenRun(st -> askAll(
                        cancelled.applied().stream()
                                .map(a -> (Function<ActorRef<SettleReply>, CampaignEntity.Command>)
                                        r -> new ReturnRedemption(
                                                a.offerId(), c.orderId(), reinstated.contains(a.offerId()), c.now(), r))
                                .toList(),
                        cancelled.applied().stream()
                                .map(Checkout.Applied::campaignId)
                                .toList(),
                        (replies, failure) -> new ReturnsAnswered(c.orderId(), replies, failure)))
                .thenNoReply();
    }

    /**
     * Refunds units of an order (see {@link RefundRules}): the refund is persisted first, then the campaigns get their
     * part of the coupons back (asked at once, and delivered again by the shopper projection if that fails), as for a
     * cancellation. The same refund id again answers the order as it is.
     */
    ReplyEffect<ShopperEvent, ShopperState> onRefundOrder(Person s, RefundOrder c) {
        var order = s.offers().order(c.orderId());
        if (order.isEmpty()) {
            return unknownOrder(
                    s,
                    c.replyTo(),
                    c.orderId(),
                    ": refund it outside Kairos and send a refund event so RFM stays right");
        }
        if (order.get().refund(c.refundId()).isPresent()) {
            return ctx.effects().reply(c.replyTo(), new OrderAccepted(ctx.shopperId(), order.get(), true));
        }
        var plan = RefundRules.byUnits(s, order.get(), c.refundId(), c.units(), c.now());
        if (plan.rejected() != null) return ctx.effects().reply(c.replyTo(), plan.rejected());
        var refunded = plan.refunded();
        var changes = new Changes(s);
        var after = changes.add(refunded);
        ShopperRules.outcomes(changes, s, c.orderId(), c.now());
        var updated = after.offers().order(c.orderId()).orElseThrow();
        var asks = campaignReturns(refunded, c.now());
        if (asks.isEmpty()) {
            return ctx.persist(changes.events())
                    .thenReply(c.replyTo(), st -> new OrderAccepted(ctx.shopperId(), updated, false));
        }
        ctx.inFlight().start(new Cancelling(updated, refunded.reinstated(), c.replyTo()));
        return ctx.persist(changes.events())
                .thenRun(st -> askAll(
                        asks.stream().map(Map.Entry::getValue).toList(),
                        asks.stream().map(Map.Entry::getKey).toList(),
                        (replies, failure) -> new ReturnsAnswered(c.orderId(), replies, failure)))
                .thenNoReply();
    }

    /**
     * What a refund asks the campaigns, by campaign id: a full refund returns each redemption (as a cancel), a partial
     * one the part of the discount it gives back.
     */
    static List<Map.Entry<String, Function<ActorRef<SettleReply>, CampaignEntity.Command>>> campaignReturns(
            OrderRefunded refunded, java.time.Instant at) {
        var out = new ArrayList<Map.Entry<String, Function<ActorRef<SettleReply>, CampaignEntity.Command>>>();
        var refund = refunded.refund();
        var orderId = refunded.orderId();
        for (var rc : refunded.coupons()) {
            var back = refund.returned().getOrDefault(rc.offerId(), java.math.BigDecimal.ZERO);
            if (refund.full()) {
                out.add(Map.entry(
                        rc.campaignId(), r -> new ReturnRedemption(rc.offerId(), orderId, rc.reinstated(), at, r)));
            } else if (back.signum() > 0) {
                out.add(Map.entry(
                        rc.campaignId(),
                        r -> new RefundRedemption(rc.offerId(), orderId, refund.refundId(), back, at, r)));
            }
        }
        return out;
    }

    /** The order as it is; FORGOTTEN when it is no longer kept (only bound orders are asked about). */
    ReplyEffect<ShopperEvent, ShopperState> onGetOrder(Person s, GetOrder c) {
        var order = s.offers().order(c.orderId());
        if (order.isEmpty()) return unknownOrder(s, c.replyTo(), c.orderId(), "");
        return ctx.effects().reply(c.replyTo(), new OrderAccepted(ctx.shopperId(), order.get(), true));
    }

    ReplyEffect<ShopperEvent, ShopperState> onReturnsAnswered(Person s, ReturnsAnswered m) {
        var waiting =
                ctx.inFlight().take(Cancelling.class, pc -> pc.order().orderId().equals(m.orderId()));
        if (waiting.isEmpty()) return ctx.effects().noReply();
        var pc = waiting.get();
        if (m.failure() != null) {
            // The cancellation is recorded; the shopper projection delivers the returns (they are idempotent).
            log.warn(
                    "Shopper {}: returning the coupons of cancelled order {} failed ({}); the projection will retry",
                    ctx.shopperId(),
                    m.orderId(),
                    m.failure());
        }
        var events = new ArrayList<ShopperEvent>();
        for (var r : m.replies()) {
            var offerId = r instanceof Settled ok ? ok.offerId() : ((SettleRefused) r).offerId();
            pc.order().applied().stream()
                    .filter(a -> a.offerId().equals(offerId))
                    .findFirst()
                    .ifPresent(a -> OfferMetrics.returned(a.campaignId()));
            // Reinstated here but the campaign could not hold the money again: the coupon cannot be honoured any more.
            if (r instanceof Settled ok
                    && ok.outcome() == CampaignEntity.SettleOutcome.RELEASED
                    && pc.reinstated().contains(ok.offerId())) {
                events.add(new OfferRevoked(
                        ok.offerId(),
                        "budget exhausted when the order was cancelled",
                        pc.order().cancelledAt()));
            }
        }
        return persistOrNone(events)
                .thenReply(pc.replyTo(), st -> new OrderAccepted(ctx.shopperId(), pc.order(), false))
                .thenUnstashAll();
    }

    // ---- helpers ----

    /** Asks each campaign its command, all at once; the answers (or the first failure) come back as one message. */
    private void askAll(
            List<Function<ActorRef<SettleReply>, CampaignEntity.Command>> commands,
            List<String> campaignIds,
            java.util.function.BiFunction<List<SettleReply>, String, ShopperCommand> answered) {
        var asks = new ArrayList<CompletableFuture<SettleReply>>();
        for (int i = 0; i < commands.size(); i++) {
            var command = commands.get(i);
            asks.add(AskPattern.<CampaignEntity.Command, SettleReply>ask(
                            ctx.services().campaigns().apply(campaignIds.get(i)),
                            command::apply,
                            ctx.services().settings().settleTimeout(),
                            ctx.actor().getSystem().scheduler())
                    .toCompletableFuture());
        }
        ctx.actor()
                .pipeToSelf(
                        CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)),
                        (ok, failure) -> failure == null
                                ? answered.apply(
                                        asks.stream()
                                                .map(CompletableFuture::join)
                                                .toList(),
                                        null)
                                : answered.apply(List.of(), failure.toString()));
    }

    private EffectBuilder<ShopperEvent, ShopperState> persistOrNone(List<ShopperEvent> events) {
        return events.isEmpty() ? ctx.effects().none() : ctx.persist(events);
    }

    /**
     * An order id bound to this shopper that the shopper does not hold. While the shopper has dropped no order (it
     * holds fewer than {@value OfferBook#MAX_ORDERS}), the order was never placed: its placement was rejected (the id
     * stays bound, so that a retry with it is the same order), and it is not found. Otherwise it may be one of the
     * dropped ones: FORGOTTEN, with {@code advice} appended.
     */
    private ReplyEffect<ShopperEvent, ShopperState> unknownOrder(
            Person s, ActorRef<OrderReply> replyTo, String orderId, String advice) {
        if (s.offers().orders().size() < OfferBook.MAX_ORDERS) {
            return reject(replyTo, OrderRejection.NOT_FOUND, "no order " + orderId + ": it was never placed");
        }
        return reject(
                replyTo,
                OrderRejection.FORGOTTEN,
                "order " + orderId + " is not among this shopper's last " + OfferBook.MAX_ORDERS
                        + " orders: it is older, or its placement was rejected" + advice);
    }

    private ReplyEffect<ShopperEvent, ShopperState> reject(
            ActorRef<OrderReply> replyTo, OrderRejection reason, String detail) {
        return ctx.effects().reply(replyTo, new OrderRejected(reason, detail));
    }
}
