package io.kairos.offer;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import io.kairos.models.uplift.FixedUplift;
import io.kairos.shopper.LifecycleStage;
import io.kairos.wire.LowerCaseName;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code kairos.offers} configuration, read once per node: how decisions are made (model, exploration, safe rule,
 * costs), the limits they respect (contact cap) and when automatic decisions are triggered.
 */
public record OfferSettings(
        String modelName,
        Duration modelTimeout,
        String modelDispatcher,
        double epsilon,
        double coldStartExploration,
        int contactCapMax,
        Duration contactCapWindow,
        Duration cartAbandonmentDelay,
        Set<LifecycleStage> lifecycleTriggerStages,
        Duration lifecycleTriggerMaxAge,
        BigDecimal defaultOrderValue,
        Map<String, BigDecimal> messageCosts,
        SafeRule safeRule,
        Duration outcomeWindow,
        Duration reserveTimeout,
        Duration reserveGiveUpAfter,
        Duration settleTimeout) {

    /** The rule used when no model answers: fixed conversion estimates (see user-actors/README.md, "Decisions"). */
    public record SafeRule(double pWithoutOffer, double uplift, String version) {
        /** The model name decisions scored by the safe rule record. */
        public static final String NAME = "safe-rule";

        /**
         * The rule as a scorer: every candidate the same uplift over the same conversion without an offer, and no order
         * value (the ranking uses the shopper's average or the default).
         */
        public FixedUplift scorer() {
            return new FixedUplift(NAME, version, Map.of(), uplift, pWithoutOffer, Double.NaN);
        }
    }

    public OfferSettings {
        if (epsilon < 0 || epsilon > 1) throw new IllegalArgumentException("epsilon must be in [0, 1]");
        if (coldStartExploration < 0 || coldStartExploration > 1)
            throw new IllegalArgumentException("cold-start exploration must be in [0, 1]");
        if (contactCapWindow.toDays() > OfferBook.CONTACT_DAYS) {
            throw new IllegalArgumentException(
                    "the contact cap window may be at most " + OfferBook.CONTACT_DAYS + " days");
        }
        messageCosts = Map.copyOf(messageCosts);
        lifecycleTriggerStages = Set.copyOf(lifecycleTriggerStages);
    }

    /**
     * How many times a shopper asks its campaign for one reservation (the same offer id each time) before it records
     * the decision as {@code refused:unavailable}: one ask per {@code reserve-timeout} within
     * {@code reserve-give-up-after}, at least one.
     */
    public int reserveAttempts() {
        return (int) Math.max(1, reserveGiveUpAfter.toMillis() / Math.max(1, reserveTimeout.toMillis()));
    }

    public static OfferSettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config().getConfig("kairos.offers"));
    }

    public static OfferSettings fromConfig(Config c) {
        var costs = new TreeMap<String, BigDecimal>();
        var mc = c.getConfig("message-cost");
        for (var e : mc.root().entrySet()) costs.put(e.getKey(), new BigDecimal(mc.getString(e.getKey())));
        var stages = EnumSet.noneOf(LifecycleStage.class);
        for (var s : c.getStringList("triggers.lifecycle-stages")) {
            stages.add(LowerCaseName.find(LifecycleStage.class, s)
                    .orElseThrow(() -> new IllegalArgumentException("unknown lifecycle stage " + s)));
        }
        return new OfferSettings(
                c.getString("model.name"),
                c.getDuration("model.timeout"),
                c.getString("model.dispatcher"),
                c.getDouble("exploration.epsilon"),
                c.getDouble("exploration.cold-start"),
                c.getInt("contact-cap.max"),
                c.getDuration("contact-cap.window"),
                c.getDuration("triggers.cart-abandonment-delay"),
                stages,
                c.getDuration("triggers.lifecycle-max-age"),
                new BigDecimal(c.getString("default-order-value")),
                costs,
                new SafeRule(
                        c.getDouble("safe-rule.p-without-offer"),
                        c.getDouble("safe-rule.uplift"),
                        c.getString("safe-rule.version")),
                c.getDuration("outcome-window"),
                c.getDuration("reserve-timeout"),
                c.getDuration("reserve-give-up-after"),
                c.getDuration("settle-timeout"));
    }

    /** These settings exploring {@code e} of decisions, with or without a trained model. */
    public OfferSettings withEpsilon(double e) {
        return with(e, e, contactCapMax);
    }

    public OfferSettings withContactCapMax(int max) {
        return with(epsilon, coldStartExploration, max);
    }

    /**
     * The exploration share of one decision over {@code campaigns}: the largest share any of them asks for (its own
     * {@code exploration}, else the cold-start share when the safe rule scored because no trained model answered, else
     * the floor {@code epsilon}), never below the floor. One share per decision keeps each action's propensity exact.
     */
    public double explorationFor(java.util.List<io.kairos.campaign.Campaign> campaigns, boolean coldStart) {
        double share = epsilon;
        for (var c : campaigns) {
            double wanted = c.exploration() != null ? c.exploration() : coldStart ? coldStartExploration : epsilon;
            share = Math.max(share, wanted);
        }
        return share;
    }

    /** These settings with other exploration rates and contact cap (what tests and simulations vary). */
    private OfferSettings with(double newEpsilon, double newColdStart, int newContactCapMax) {
        return new OfferSettings(
                modelName,
                modelTimeout,
                modelDispatcher,
                newEpsilon,
                newColdStart,
                newContactCapMax,
                contactCapWindow,
                cartAbandonmentDelay,
                lifecycleTriggerStages,
                lifecycleTriggerMaxAge,
                defaultOrderValue,
                messageCosts,
                safeRule,
                outcomeWindow,
                reserveTimeout,
                reserveGiveUpAfter,
                settleTimeout);
    }

    /** What sending one offer on {@code channel} costs (unknown channels cost nothing). */
    public BigDecimal messageCost(String channel) {
        return messageCosts.getOrDefault(channel, BigDecimal.ZERO);
    }
}
