package io.kairos.campaign;

import static io.kairos.campaign.Campaigns.START;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.kairos.campaign.CampaignEntity.*;
import io.kairos.testkit.EntityTestKit;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CampaignEntityTest {
    @RegisterExtension
    static final EntityTestKit kits = new EntityTestKit();

    private static final ActorTestKit testKit = kits.testKit();
    private static final CampaignSettings SETTINGS = CampaignSettings.fromConfig(
            ConfigFactory.load().getConfig("kairos.campaign"),
            io.kairos.entity.EntitySettings.fromConfig(ConfigFactory.load().getConfig("kairos.entities"), "campaign"));
    private static final Instant T = START.plus(Duration.ofDays(1));

    private final LocalCampaignCatalogue catalogue = new LocalCampaignCatalogue();
    private EventSourcedBehaviorTestKit<Command, Event, CampaignState> kit;

    @BeforeEach
    void setUp() {
        kit = kits.of(CampaignEntity.create("c1", SETTINGS, catalogue, Clock.fixed(T, ZoneOffset.UTC)));
    }

    private CampaignReply create(Campaign c) {
        return kit.<CampaignReply>runCommand(r -> new Create(c, T, "ops-1", r)).reply();
    }

    private ReserveReply reserve(String offerId, String amount, Instant at) {
        return kit.<ReserveReply>runCommand(
                        r -> new Reserve(offerId, new BigDecimal(amount), at.plus(Duration.ofDays(7)), at, r))
                .reply();
    }

    private SettleReply commit(String offerId, String orderId, String actual, Instant at) {
        return kit.<SettleReply>runCommand(r -> new Commit(offerId, orderId, new BigDecimal(actual), at, r))
                .reply();
    }

    private CampaignSnapshot snapshot() {
        return ((CampaignFound)
                        kit.<CampaignReply>runCommand(r -> new Get(T, r)).reply())
                .campaign();
    }

    private CampaignState state() {
        return kit.getState();
    }

    @Test
    void creatingPublishesTheCampaignToTheCatalogueAndIsIdempotent() {
        var c = Campaigns.campaign("c1", Campaigns.amountOff("5"), "100");
        assertThat(create(c)).isInstanceOf(CampaignFound.class);
        assertThat(catalogue.get("c1")).hasValueSatisfying(v -> {
            assertThat(v.definition()).isEqualTo(c);
            assertThat(v.exhausted()).isFalse();
        });
        assertThat(create(c)).isInstanceOf(CampaignFound.class);
        var other = Campaigns.campaign("c1", Campaigns.amountOff("6"), "100");
        assertThat(create(other))
                .isEqualTo(new CampaignRejected(CampaignRejection.EXISTS, "campaign c1 already exists"));
    }

    @Test
    void reservationsAreIdempotentByOfferIdAndStopAtTheBudget() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("30"), "100"));
        assertThat(reserve("o1", "30", T)).isEqualTo(new Reserved("o1", new BigDecimal("30")));
        assertThat(reserve("o1", "30", T)).isEqualTo(new Reserved("o1", new BigDecimal("30")));
        assertThat(reserve("o2", "30", T)).isInstanceOf(Reserved.class);
        assertThat(reserve("o3", "30", T)).isInstanceOf(Reserved.class);
        assertThat(reserve("o4", "30", T)).isEqualTo(new ReserveRefused("o4", ReserveRefusal.BUDGET));
        assertThat(state().reserved()).isEqualByComparingTo("90");
        assertThat(state().issued()).isEqualTo(3);
        // 10 left is less than one coupon: the catalogue learns the campaign is exhausted
        assertThat(catalogue.get("c1").orElseThrow().exhausted()).isTrue();
    }

    /**
     * Group commit: reservations sent at once are written in far fewer journal writes than reservations, each is
     * answered only once written, the budget stops them exactly, and a command sent among them sees the ones before it.
     */
    @Test
    void concurrentReservationsAreWrittenInBatchesAndStillStopAtTheBudget() {
        var id = "hot-" + java.util.UUID.randomUUID();
        var campaign = testKit.spawn(CampaignEntity.create(id, SETTINGS, catalogue, Clock.fixed(T, ZoneOffset.UTC)));
        var created = testKit.<CampaignReply>createTestProbe();
        campaign.tell(
                new Create(Campaigns.campaign(id, Campaigns.amountOff("1"), "250"), T, "ops-1", created.getRef()));
        created.expectMessageClass(CampaignFound.class);
        var writes = io.kairos.metrics.KairosMetrics.RESERVATION_WRITES.labelValues(id);
        double writesBefore = writes.get();

        var answers = testKit.<ReserveReply>createTestProbe();
        var released = testKit.<SettleReply>createTestProbe();
        int offers = 300;
        for (int i = 0; i < offers; i++) {
            campaign.tell(new Reserve("o" + i, BigDecimal.ONE, T.plus(Duration.ofDays(7)), T, answers.getRef()));
            if (i == 10) campaign.tell(new Release("o5", "revoked", T, released.getRef()));
        }
        var replies = answers.receiveSeveralMessages(offers, java.time.Duration.ofSeconds(10));
        // o5 was admitted before the release was sent, so the release finds it (not "unknown offer")
        assertThat(released.receiveMessage()).isEqualTo(new Settled("o5", SettleOutcome.RELEASED));

        var reserved = replies.stream().filter(Reserved.class::isInstance).count();
        var refused = replies.stream()
                .filter(r -> r instanceof ReserveRefused f && f.reason() == ReserveRefusal.BUDGET)
                .count();
        // 250 of budget, one of them freed by the release after the reservations admitted before it
        assertThat(reserved).isEqualTo(251);
        assertThat(refused).isEqualTo(offers - 251);
        double batches = writes.get() - writesBefore;
        assertThat(batches).as("journal writes for %s reservations", reserved).isLessThan(reserved / 4.0);

        var events = akka.persistence.testkit.javadsl.PersistenceTestKit.create(testKit.system())
                .persistedInStorage(CampaignEntity.ENTITY_KEY.name() + "|" + id);
        var states = CampaignState.replay(events.stream().map(Event.class::cast).toList());
        assertThat(states)
                .allSatisfy(st -> assertThat(st.reserved().add(st.spent())).isLessThanOrEqualTo(st.budget()));
        var last = states.get(states.size() - 1);
        assertThat(last.issued()).isEqualTo(reserved);
        assertThat(last.reserved()).isEqualByComparingTo("250");
    }

    /**
     * A pause sent among reservations takes effect within one batch: reservations admitted before it is handled (at
     * most one batch) are kept, every one after it is refused, and none of them goes over the budget.
     */
    @Test
    void aPauseAmongConcurrentReservationsTakesEffectWithinOneBatch() {
        var id = "paused-" + java.util.UUID.randomUUID();
        var campaign = testKit.spawn(CampaignEntity.create(id, SETTINGS, catalogue, Clock.fixed(T, ZoneOffset.UTC)));
        var created = testKit.<CampaignReply>createTestProbe();
        campaign.tell(
                new Create(Campaigns.campaign(id, Campaigns.amountOff("1"), "1000"), T, "ops-1", created.getRef()));
        created.expectMessageClass(CampaignFound.class);

        var answers = testKit.<ReserveReply>createTestProbe();
        var paused = testKit.<CampaignReply>createTestProbe();
        int before = 10;
        int after = 300;
        for (int i = 0; i < before; i++) {
            campaign.tell(new Reserve("o" + i, BigDecimal.ONE, T.plus(Duration.ofDays(7)), T, answers.getRef()));
        }
        campaign.tell(new Update(CampaignStatus.PAUSED, null, T, "ops-1", paused.getRef()));
        for (int i = before; i < before + after; i++) {
            campaign.tell(new Reserve("o" + i, BigDecimal.ONE, T.plus(Duration.ofDays(7)), T, answers.getRef()));
        }
        var replies = answers.receiveSeveralMessages(before + after, Duration.ofSeconds(10));
        paused.expectMessageClass(CampaignFound.class);

        assertThat(replies.subList(0, before)).allMatch(Reserved.class::isInstance);
        var late = replies.subList(before, before + after);
        long keptAfterPause = late.stream().filter(Reserved.class::isInstance).count();
        assertThat(keptAfterPause).isLessThanOrEqualTo(SETTINGS.reservationBatch());
        assertThat(late.subList((int) keptAfterPause, after))
                .as("every reservation after the pause took effect is refused")
                .allMatch(r -> r instanceof ReserveRefused f && f.reason() == ReserveRefusal.PAUSED);
        campaign.tell(new Reserve("later", BigDecimal.ONE, T.plus(Duration.ofDays(7)), T, answers.getRef()));
        assertThat(answers.receiveMessage()).isEqualTo(new ReserveRefused("later", ReserveRefusal.PAUSED));
    }

    @Test
    void commitsTakeAtMostTheReservationAndFreeTheRest() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("30"), "60"));
        reserve("o1", "30", T);
        reserve("o2", "30", T);
        assertThat(commit("o1", "order-1", "31", T))
                .isEqualTo(new SettleRefused("o1", SettleRefusal.EXCEEDS_RESERVATION));
        assertThat(commit("o1", "order-1", "12.50", T)).isEqualTo(new Settled("o1", SettleOutcome.COMMITTED));
        assertThat(commit("o1", "order-1", "12.50", T)).isEqualTo(new Settled("o1", SettleOutcome.COMMITTED));
        assertThat(commit("o1", "order-2", "12.50", T))
                .isEqualTo(new SettleRefused("o1", SettleRefusal.ALREADY_REDEEMED));
        assertThat(state().spent()).isEqualByComparingTo("12.50");
        assertThat(state().reserved()).isEqualByComparingTo("30");
        // the 17.50 the commit freed is not enough for another coupon of 30
        assertThat(reserve("o3", "30", T)).isEqualTo(new ReserveRefused("o3", ReserveRefusal.BUDGET));
        assertThat(snapshot().redeemed()).isEqualTo(1);
    }

    @Test
    void aReturnedRedemptionGivesTheSpendBackAndHoldsTheReservationAgain() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("10"), "100"));
        reserve("o1", "10", T);
        commit("o1", "order-1", "10", T);
        var returned = kit.<SettleReply>runCommand(r -> new ReturnRedemption("o1", "order-1", true, T, r))
                .reply();
        assertThat(returned).isEqualTo(new Settled("o1", SettleOutcome.REINSTATED));
        assertThat(state().spent()).isEqualByComparingTo("0");
        assertThat(state().reserved()).isEqualByComparingTo("10");
        assertThat(state().redeemed()).isZero();
        // a duplicate of the return answers the same; a late duplicate commit of the returned order is refused
        assertThat(kit.<SettleReply>runCommand(r -> new ReturnRedemption("o1", "order-1", true, T, r))
                        .reply())
                .isEqualTo(returned);
        assertThat(commit("o1", "order-1", "10", T)).isEqualTo(new SettleRefused("o1", SettleRefusal.RETURNED));
        // the coupon can be redeemed again by another order
        assertThat(commit("o1", "order-2", "10", T)).isEqualTo(new Settled("o1", SettleOutcome.COMMITTED));
    }

    @Test
    void aReturnAfterExpiryReleasesInsteadOfReinstating() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("10"), "100"));
        reserve("o1", "10", T);
        commit("o1", "order-1", "10", T);
        var late = T.plus(Duration.ofDays(8));
        assertThat(kit.<SettleReply>runCommand(r -> new ReturnRedemption("o1", "order-1", true, late, r))
                        .reply())
                .isEqualTo(new Settled("o1", SettleOutcome.RELEASED));
        assertThat(state().reserved()).isEqualByComparingTo("0");
        assertThat(state().spent()).isEqualByComparingTo("0");
    }

    @Test
    void expiredReservationsAreReleasedByTheSweepAndStayReleasedAfterARestart() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("10"), "100"));
        reserve("o1", "10", T);
        reserve("o2", "10", T.plus(Duration.ofDays(2)));
        var afterFirstExpiry =
                T.plus(Duration.ofDays(7)).plus(SETTINGS.expiryGrace()).plusSeconds(1);
        var result = kit.runCommand(new Sweep(afterFirstExpiry));
        assertThat(result.events()).containsExactly(new ReservationReleased("o1", "expired", afterFirstExpiry));
        assertThat(state().reserved()).isEqualByComparingTo("10");
        // a commit for the released offer is refused: the money is no longer held for it
        assertThat(commit("o1", "order-1", "10", afterFirstExpiry))
                .isEqualTo(new SettleRefused("o1", SettleRefusal.RELEASED));
        kit.restart();
        assertThat(state().reserved()).isEqualByComparingTo("10");
        assertThat(state().ledger().get("o1").orElseThrow().status()).isEqualTo(Ledger.Status.RELEASED);
    }

    @Test
    void aCommitAfterExpiryAndGraceIsRefused() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("10"), "100"));
        reserve("o1", "10", T);
        var tooLate = T.plus(Duration.ofDays(7)).plus(SETTINGS.expiryGrace());
        assertThat(commit("o1", "order-1", "10", tooLate)).isEqualTo(new SettleRefused("o1", SettleRefusal.EXPIRED));
        assertThat(commit("o1", "order-1", "10", tooLate.minusSeconds(1)))
                .isEqualTo(new Settled("o1", SettleOutcome.COMMITTED));
    }

    @Test
    void finishedEntriesAreCompactedAfterTheirRetention() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("10"), "100"));
        reserve("o1", "10", T);
        kit.<SettleReply>runCommand(r -> new Release("o1", "revoked", T, r));
        reserve("o2", "10", T);
        kit.runCommand(new Sweep(T.plus(SETTINGS.ledgerRetention()).plusSeconds(1)));
        assertThat(state().ledger().get("o1")).isEmpty();
        assertThat(state().ledger().get("o2")).isPresent();
        assertThat(state().released()).isEqualTo(1);
    }

    @Test
    void aPartialRefundGivesPartOfTheSpendBackOncePerRefundAndNeverMoreThanIsLeft() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("10"), "100"));
        reserve("o1", "10", T);
        commit("o1", "order-1", "10", T);
        var refund = kit.<SettleReply>runCommand(
                        r -> new RefundRedemption("o1", "order-1", "rf-1", new BigDecimal("2.50"), T, r))
                .reply();
        assertThat(refund).isEqualTo(new Settled("o1", SettleOutcome.REFUNDED));
        assertThat(state().spent()).isEqualByComparingTo("7.50");
        // the same refund again gives nothing back twice
        kit.<SettleReply>runCommand(r -> new RefundRedemption("o1", "order-1", "rf-1", new BigDecimal("2.50"), T, r));
        assertThat(state().spent()).isEqualByComparingTo("7.50");
        assertThat(state().redeemed()).isEqualTo(1);
        assertThat(kit.<SettleReply>runCommand(
                                r -> new RefundRedemption("o1", "order-1", "rf-2", new BigDecimal("8"), T, r))
                        .reply())
                .isEqualTo(new SettleRefused("o1", SettleRefusal.EXCEEDS_RESERVATION));
        assertThat(kit.<SettleReply>runCommand(
                                r -> new RefundRedemption("o1", "order-9", "rf-3", new BigDecimal("1"), T, r))
                        .reply())
                .isEqualTo(new SettleRefused("o1", SettleRefusal.NOT_REDEEMED));
        // returning the rest of the redemption (a full refund) gives back what is left of it
        kit.<SettleReply>runCommand(r -> new ReturnRedemption("o1", "order-1", false, T, r));
        assertThat(state().spent()).isEqualByComparingTo("0");
    }

    @Test
    void redeemedEntriesAreKeptThroughTheRefundWindowForLateRefunds() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("10"), "100"));
        reserve("o1", "10", T);
        commit("o1", "order-1", "10", T);
        var expiry = T.plus(Duration.ofDays(7));
        kit.runCommand(new Sweep(expiry.plus(SETTINGS.ledgerRetention()).plusSeconds(1)));
        assertThat(state().ledger().get("o1")).isPresent();
        var lateRefundAt = expiry.plus(Duration.ofDays(30));
        assertThat(kit.<SettleReply>runCommand(r ->
                                new RefundRedemption("o1", "order-1", "late", new BigDecimal("4"), lateRefundAt, r))
                        .reply())
                .isEqualTo(new Settled("o1", SettleOutcome.REFUNDED));
        kit.runCommand(new Sweep(expiry.plus(SETTINGS.refundWindow()).plusSeconds(1)));
        assertThat(state().ledger().get("o1")).isEmpty();
        assertThat(SETTINGS.refundWindow()).isGreaterThan(Duration.ofDays(30));
    }

    @Test
    void evenPacingRefusesWhatTheLineDoesNotAllowYet() {
        var c = Campaigns.withPacing(
                Campaigns.campaign("c1", Campaigns.amountOff("10"), "1000"), Campaign.PacingMode.EVEN);
        create(c);
        // day 1 of 30 with a 10 % head start: 1000 × (0.1 + 0.9 × 1/30) = 130
        for (int i = 0; i < 13; i++) assertThat(reserve("o" + i, "10", T)).isInstanceOf(Reserved.class);
        assertThat(reserve("o13", "10", T)).isEqualTo(new ReserveRefused("o13", ReserveRefusal.PACING));
        assertThat(Pacing.allowance(c, c.budget(), T, 0.1)).isEqualByComparingTo("130");
        // half way, half the budget and the head start's share of the rest
        assertThat(Pacing.allowance(c, c.budget(), START.plus(Duration.ofDays(15)), 0.1))
                .isEqualByComparingTo("550");
        assertThat(reserve("o13", "10", START.plus(Duration.ofDays(15)))).isInstanceOf(Reserved.class);
    }

    @Test
    void pausedOrNotRunningCampaignsReserveNothing() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("10"), "100"));
        assertThat(reserve("o1", "10", START.minusSeconds(1)))
                .isEqualTo(new ReserveRefused("o1", ReserveRefusal.NOT_RUNNING));
        kit.<CampaignReply>runCommand(r -> new Update(CampaignStatus.PAUSED, null, T, "ops-1", r));
        assertThat(reserve("o2", "10", T)).isEqualTo(new ReserveRefused("o2", ReserveRefusal.PAUSED));
        assertThat(catalogue.get("c1").orElseThrow().status()).isEqualTo(CampaignStatus.PAUSED);
    }

    @Test
    void theBudgetCannotBeCutBelowWhatIsCommitted() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("10"), "100"));
        reserve("o1", "10", T);
        reserve("o2", "10", T);
        var rejected = kit.<CampaignReply>runCommand(r -> new Update(null, new BigDecimal("15"), T, "ops-1", r))
                .reply();
        assertThat(rejected).isInstanceOf(CampaignRejected.class);
        var ok = kit.<CampaignReply>runCommand(r -> new Update(null, new BigDecimal("20"), T, "ops-2", r))
                .reply();
        assertThat(((CampaignFound) ok).campaign().budget()).isEqualByComparingTo("20");
    }

    @Test
    void theLedgerIsBoundedByMaxOpenEntries() {
        var small = new CampaignSettings(
                SETTINGS.sweepInterval(),
                SETTINGS.expiryGrace(),
                SETTINGS.ledgerRetention(),
                SETTINGS.refundWindow(),
                3,
                SETTINGS.reservationBatch(),
                SETTINGS.pacingInitialShare(),
                SETTINGS.defaultMarginRate(),
                SETTINGS.catalogueWriteTimeout(),
                SETTINGS.entity());
        kit = kits.of(CampaignEntity.create("c1", small, catalogue, Clock.fixed(T, ZoneOffset.UTC)));
        create(Campaigns.campaign("c1", Campaigns.amountOff("1"), "100"));
        for (int i = 0; i < 3; i++) reserve("o" + i, "1", T);
        assertThat(reserve("o3", "1", T)).isEqualTo(new ReserveRefused("o3", ReserveRefusal.CAPACITY));
    }

    /**
     * Overbooking: reservations may hold three times the budget, commits stop where the budget is spent, and the coupon
     * the budget cannot pay is refused and its reservation released.
     */
    @Test
    void anOverbookedCampaignIssuesBeyondItsBudgetButNeverSpendsBeyondIt() {
        create(Campaigns.with(Campaigns.campaign("c1", Campaigns.amountOff("30"), "60"), d -> d.overbooking = 3.0));
        for (int i = 1; i <= 6; i++) assertThat(reserve("o" + i, "30", T)).isInstanceOf(Reserved.class);
        assertThat(reserve("o7", "30", T)).isEqualTo(new ReserveRefused("o7", ReserveRefusal.BUDGET));
        assertThat(state().available()).isEqualByComparingTo("0");
        assertThat(commit("o1", "order-1", "30", T)).isEqualTo(new Settled("o1", SettleOutcome.COMMITTED));
        assertThat(catalogue.moneyLeft("c1")).as("30 left pays any one coupon").isNull();
        assertThat(commit("o2", "order-2", "20", T)).isEqualTo(new Settled("o2", SettleOutcome.COMMITTED));
        assertThat(catalogue.moneyLeft("c1")).as("less than one coupon left").isEqualByComparingTo("10");
        assertThat(commit("o3", "order-3", "10.01", T)).isEqualTo(new SettleRefused("o3", SettleRefusal.BUDGET));
        assertThat(state().ledger().get("o3").orElseThrow().status()).isEqualTo(Ledger.Status.RELEASED);
        assertThat(commit("o4", "order-4", "10", T)).isEqualTo(new Settled("o4", SettleOutcome.COMMITTED));
        assertThat(state().spent()).isEqualByComparingTo("60");
        assertThat(state().reserved()).isEqualByComparingTo("60"); // o5 and o6, which the budget can no longer pay
        assertThat(commit("o5", "order-5", "0.01", T)).isEqualTo(new SettleRefused("o5", SettleRefusal.BUDGET));
        assertThat(catalogue.get("c1").orElseThrow().exhausted()).isTrue();
        assertThat(catalogue.moneyLeft("c1")).isEqualByComparingTo("0");
        // a returned redemption frees spend, and the budget pays again
        kit.<SettleReply>runCommand(r -> new ReturnRedemption("o2", "order-2", false, T, r));
        assertThat(state().available()).isEqualByComparingTo("30"); // 3 × (60 − 40) − 30 reserved by o6
        assertThat(catalogue.moneyLeft("c1"))
                .as("a return republishes the money left")
                .isEqualByComparingTo("20");
        assertThat(commit("o6", "order-6", "20", T)).isEqualTo(new Settled("o6", SettleOutcome.COMMITTED));
        assertThat(state().spent()).isEqualByComparingTo("60");
    }

    @Test
    void withoutOverbookingAnIssuedCouponIsAlwaysHonoured() {
        create(Campaigns.campaign("c1", Campaigns.amountOff("30"), "60"));
        assertThat(reserve("o1", "30", T)).isInstanceOf(Reserved.class);
        assertThat(reserve("o2", "30", T)).isInstanceOf(Reserved.class);
        assertThat(reserve("o3", "30", T)).isEqualTo(new ReserveRefused("o3", ReserveRefusal.BUDGET));
        assertThat(commit("o1", "order-1", "30", T)).isEqualTo(new Settled("o1", SettleOutcome.COMMITTED));
        assertThat(commit("o2", "order-2", "30", T)).isEqualTo(new Settled("o2", SettleOutcome.COMMITTED));
    }

    /**
     * Random interleavings of every money command keep reserved + spent ≤ budget and the totals equal to the ledger.
     */
    @Test
    void theInvariantHoldsAfterEveryEventOfARandomHistory() {
        var events = randomHistory(Campaigns.campaign("c1", Campaigns.amountOff("7.50"), "200"));
        for (var s : CampaignState.replay(events)) {
            assertThat(s.reserved().add(s.spent())).isLessThanOrEqualTo(s.budget());
        }
    }

    /** The same with overbooking: spent ≤ budget after every event, and new reservations within 2.5 × what is left. */
    @Test
    void theOverbookedInvariantHoldsAfterEveryEventOfARandomHistory() {
        var c = Campaigns.with(Campaigns.campaign("c1", Campaigns.amountOff("7.50"), "100"), d -> d.overbooking = 2.5);
        var events = randomHistory(c);
        boolean beyondBudget = false;
        for (var s : CampaignState.replay(events)) {
            assertThat(s.spent()).isLessThanOrEqualTo(s.budget());
            beyondBudget |= s.reserved().add(s.spent()).compareTo(s.budget()) > 0;
        }
        assertThat(beyondBudget)
                .as("the history reserved beyond the budget at some point")
                .isTrue();
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i) instanceof CampaignEntity.BudgetReserved) {
                var after = CampaignState.replay(events.subList(0, i + 1)).get(i);
                assertThat(after.reserved())
                        .isLessThanOrEqualTo(
                                after.budget().subtract(after.spent()).multiply(new BigDecimal("2.5")));
            }
        }
    }

    /**
     * Runs 400 random money commands against {@code c}, checks that the totals equal the ledger after every event and
     * that the entity's state is the replay's, and returns the events.
     */
    private List<Event> randomHistory(Campaign c) {
        create(c);
        var random = new Random(42);
        var orders = new ArrayList<String>();
        for (int i = 0; i < 400; i++) {
            var offer = "o" + random.nextInt(60);
            var at = T.plus(Duration.ofHours(random.nextInt(24 * 10)));
            switch (random.nextInt(6)) {
                case 0, 1 -> reserve(offer, "7.50", at);
                case 2 -> {
                    var order = "order-" + random.nextInt(30);
                    orders.add(order);
                    commit(offer, order, random.nextBoolean() ? "7.50" : "3.25", at);
                }
                case 3 -> kit.<SettleReply>runCommand(r -> new Release(offer, "revoked", at, r));
                case 4 -> {
                    if (!orders.isEmpty()) {
                        var order = orders.get(random.nextInt(orders.size()));
                        kit.<SettleReply>runCommand(
                                r -> new ReturnRedemption(offer, order, random.nextBoolean(), at, r));
                    }
                }
                default -> kit.runCommand(new Sweep(at));
            }
        }
        var events = new ArrayList<Event>();
        kit.getState(); // the journal holds everything persisted above
        var persisted = akka.persistence.testkit.javadsl.PersistenceTestKit.create(testKit.system())
                .persistedInStorage(akka.persistence.typed.PersistenceId.of(CampaignEntity.ENTITY_KEY.name(), "c1")
                        .id());
        persisted.forEach(e -> events.add((Event) e));
        assertThat(events).hasSizeGreaterThan(50);
        for (var s : CampaignState.replay(events)) {
            var reserved = s.ledger().entries().stream()
                    .filter(e -> e.status() == Ledger.Status.RESERVED)
                    .map(Ledger.Entry::amount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(s.reserved()).isEqualByComparingTo(reserved);
        }
        assertThat(List.of(state()))
                .containsExactly(CampaignState.replay(events).get(events.size() - 1));
        return events;
    }
}
