package io.kairos.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.Campaigns;
import io.kairos.offer.Offer;
import io.kairos.offer.OfferSettings;
import io.kairos.offer.OfferStatus;
import io.kairos.offer.Trigger;
import io.kairos.shopper.ShopperEvent.*;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rules that turn a batch of behaviour into events, without an actor: given a person, when a batch, then events.
 */
class ShopperRulesTest {
    private static final ShopperSettings SHOPPER =
            ShopperSettings.fromConfig(ConfigFactory.load().getConfig("kairos.shopper"));
    private static final OfferSettings OFFERS =
            OfferSettings.fromConfig(ConfigFactory.load().getConfig("kairos.offers"));
    private static final ShopperRules rules = new ShopperRules(SHOPPER, OFFERS);
    private static final Instant T = Instant.parse("2026-11-10T12:00:00Z");

    private static BehaviourEvent event(String id, EventType type, Instant at) {
        return BehaviourEvent.of(id, type, at);
    }

    private static ShopperRules.Batch record(Person p, Instant receivedAt, BehaviourEvent... events) {
        return rules.record(p, List.of(events), receivedAt, null, Optional.empty());
    }

    private static Person applied(Person p, List<ShopperEvent> events) {
        ShopperState s = p;
        for (var e : events) s = s.apply(e);
        return (Person) s;
    }

    private static <E> List<E> of(List<ShopperEvent> events, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aFirstBatchAdoptsThePolicyAndCountsEachEventIdOnce() {
        var batch = record(Person.empty(), T, event("e1", EventType.VIEW, T), event("e1", EventType.VIEW, T));

        assertThat(batch.accepted()).isEqualTo(1);
        assertThat(batch.duplicates()).isEqualTo(1);
        assertThat(batch.events().get(0)).isEqualTo(new PolicyAdopted(SHOPPER.recording()));
        assertThat(of(batch.events(), BehaviourRecorded.class)).hasSize(1);
        // the same event again is a duplicate, and a batch of nothing new produces nothing at all
        var again = record(applied(Person.empty(), batch.events()), T, event("e1", EventType.VIEW, T));
        assertThat(again.events()).isEmpty();
        assertThat(again.duplicates()).isEqualTo(1);
    }

    @Test
    void aFirstOrderMakesTheShopperActiveAndAsksForALifecycleDecision() {
        var order = event("o1", EventType.ORDER, T).withOrder("ord-1", new BigDecimal("30.00"));

        var batch = record(Person.empty(), T, order);

        var changed = of(batch.events(), LifecycleChanged.class);
        assertThat(changed).extracting(LifecycleChanged::to).containsExactly(LifecycleStage.ACTIVE);
        assertThat(of(batch.events(), TriggerScheduled.class))
                .extracting(t -> t.trigger().kind())
                .contains(ShopperRules.LIFECYCLE, ShopperRules.DORMANCY);
    }

    @Test
    void anImportedHistoryChangesTheStageButAsksForNoDecision() {
        var longAgo = T.minus(Duration.ofDays(30));
        var order = event("o1", EventType.ORDER, longAgo).withOrder("ord-1", new BigDecimal("30.00"));

        var batch = record(Person.empty(), T, order);

        assertThat(of(batch.events(), LifecycleChanged.class)).isNotEmpty();
        assertThat(of(batch.events(), TriggerScheduled.class))
                .extracting(t -> t.trigger().kind())
                .doesNotContain(ShopperRules.LIFECYCLE, ShopperRules.CART);
    }

    @Test
    void aFreshCartSchedulesAnAbandonmentWakeUpAndAStaleOneDoesNot() {
        var fresh = record(Person.empty(), T, event("c1", EventType.ADD_TO_CART, T));
        var cart = of(fresh.events(), TriggerScheduled.class).stream()
                .map(TriggerScheduled::trigger)
                .filter(t -> t.kind().equals(ShopperRules.CART))
                .findFirst()
                .orElseThrow();
        assertThat(cart.dueAt()).isEqualTo(T.plus(OFFERS.cartAbandonmentDelay()));

        var stale = record(Person.empty(), T, event("c2", EventType.ADD_TO_CART, T.minus(Duration.ofDays(1))));
        assertThat(of(stale.events(), TriggerScheduled.class))
                .extracting(t -> t.trigger().kind())
                .doesNotContain(ShopperRules.CART);
    }

    @Test
    void twoClaimsOfOneCouponInABatchRecordOneClaimAndAnOpenMovesTheOffer() {
        var person = withOffer(Person.empty(), "cp-1");
        var claim = BehaviourEvent.of("k1", EventType.COUPON_CLAIM, T).withCoupon(null, "cp-1");
        var claimAgain = BehaviourEvent.of("k2", EventType.COUPON_CLAIM, T).withCoupon(null, "cp-1");
        var open = BehaviourEvent.of("k3", EventType.MESSAGE_OPEN, T).withCoupon("email", "cp-1");

        var batch = record(person, T, claim, claimAgain, open);

        assertThat(of(batch.events(), OfferClaimed.class)).hasSize(1);
        assertThat(of(batch.events(), OfferOpened.class)).singleElement().satisfies(o -> {
            assertThat(o.channel()).isEqualTo("email");
            assertThat(o.how()).isEqualTo("message_open");
        });
        assertThat(applied(person, batch.events())
                        .offers()
                        .byCoupon("cp-1")
                        .orElseThrow()
                        .status())
                .isEqualTo(OfferStatus.CLAIMED);
    }

    @Test
    void anOrderInsideAnOfferOutcomeWindowIsAttributedToItsDecision() {
        var person = withOffer(Person.empty(), "cp-1");
        var order = event("o1", EventType.ORDER, T.plusSeconds(60)).withOrder("ord-1", new BigDecimal("40.00"));

        var batch = record(person, T.plusSeconds(60), order);

        assertThat(of(batch.events(), OutcomeRecorded.class)).singleElement().satisfies(o -> {
            assertThat(o.decisionId()).isEqualTo("d-cp-1");
            assertThat(o.netAmount()).isEqualByComparingTo("40.00");
        });
    }

    @Test
    void wakingFiresACartStillAbandonedAndDropsOneAnOrderAnswered() {
        var cartAt = T.minus(Duration.ofHours(2));
        var abandoned =
                applied(Person.empty(), List.of(new TriggerScheduled(new Trigger(ShopperRules.CART, T, cartAt, null))));
        var c = new Changes(abandoned);
        assertThat(rules.wake(c, T)).isEqualTo(new ShopperRules.Wakeup("cart_abandoned", List.of(ShopperRules.CART)));
        assertThat(c.isEmpty()).isTrue();

        var ordered = applied(
                abandoned,
                List.of(
                        new PolicyAdopted(SHOPPER.recording()),
                        new BehaviourRecorded(
                                event("o1", EventType.ORDER, T.minus(Duration.ofHours(1)))
                                        .withOrder("ord-1", BigDecimal.TEN),
                                T,
                                null)));
        var c2 = new Changes(ordered);
        assertThat(rules.wake(c2, T).decisionTrigger()).isNull();
        assertThat(c2.events()).containsExactly(new TriggerFired(ShopperRules.CART, T, "ordered since the cart"));
    }

    private static Person withOffer(Person p, String couponId) {
        var offer = new Offer(
                "of-" + couponId,
                couponId,
                "c1",
                Campaigns.amountOff("5"),
                OfferStatus.ISSUED,
                T.minusSeconds(10),
                T.plus(Duration.ofDays(7)),
                "in_app",
                "d-" + couponId,
                new BigDecimal("5"),
                null,
                null,
                null);
        var record = new io.kairos.offer.DecisionRecord(
                2, "d-" + couponId, "s", "request", T.minusSeconds(10), null, null, null, List.of(), null);
        return applied(
                p,
                List.of(
                        new PolicyAdopted(SHOPPER.recording()),
                        new OfferIssued(offer, record, T.plus(Duration.ofDays(14)))));
    }
}
