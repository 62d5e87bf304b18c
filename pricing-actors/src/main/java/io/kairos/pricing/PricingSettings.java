package io.kairos.pricing;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import io.kairos.entity.EntitySettings;
import java.time.Duration;
import java.time.ZoneId;

/** The {@code kairos.pricing} subtree, read once. See this module's {@code reference.conf} for what each means. */
public record PricingSettings(
        String currency,
        ZoneId timeZone,
        int tags,
        EntitySettings entity,
        Duration minRepriceEvery,
        boolean repriceTimer,
        Duration tickInterval,
        Duration historyRetention,
        int historyMaxEntries,
        int decisionsRetained,
        int dedupGenerationSize,
        int dedupGenerations,
        long randomSeed,
        double ladderStepPercent,
        DemandPrior defaultPrior,
        SkuConfig.Objective defaultObjective,
        String demandModel,
        Thompson thompson,
        QLearning qlearning,
        View view,
        Duration askTimeout) {

    /** Settings of the Thompson-sampling policy. */
    public record Thompson(
            double curvatureSd,
            int hoursPerDaypart,
            double daypartInterceptSd,
            double daypartSlopeSd,
            double daypartCurvatureSd) {}

    /** Settings of the Q-learning policy. */
    public record QLearning(
            double learningRate,
            double discount,
            double stepPercent,
            int hoursPerWindow,
            int priceLevels,
            double epsilonMin) {}

    /**
     * Settings of the node-local price view. {@code maxSkus} bounds how many SKUs may be priced dynamically (each is in
     * every node's view and in a replicated map); the rest of the catalogue sells at list price from Cassandra.
     */
    public record View(
            int maxSkus,
            int buckets,
            Duration writeTimeout,
            Duration stalenessBound,
            Duration gossipInterval,
            Duration notifySubscribersInterval) {}

    public static PricingSettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config());
    }

    /** {@code root}: a configuration holding {@code kairos.pricing} and {@code kairos.entities}. */
    public static PricingSettings fromConfig(Config root) {
        var c = root.getConfig("kairos.pricing");
        var entity = EntitySettings.fromConfig(root.getConfig("kairos.entities"), "sku-pricing");
        var p = c.getConfig("prior");
        var t = c.getConfig("thompson");
        var q = c.getConfig("qlearning");
        var v = c.getConfig("view");
        var settings = new PricingSettings(
                c.getString("currency"),
                ZoneId.of(c.getString("time-zone")),
                c.getInt("tags"),
                entity,
                c.getDuration("min-reprice-every"),
                c.getBoolean("reprice-timer.enabled"),
                c.getDuration("reprice-timer.tick-interval"),
                c.getDuration("history.retention"),
                c.getInt("history.max-entries"),
                c.getInt("decisions-retained"),
                c.getInt("dedup.generation-size"),
                c.getInt("dedup.generations"),
                c.getLong("random-seed"),
                c.getDouble("ladder-step-percent"),
                new DemandPrior(
                        p.getDouble("elasticity"),
                        p.getDouble("base-demand"),
                        p.getDouble("elasticity-sd"),
                        p.getDouble("base-demand-log-sd"),
                        "settings"),
                SkuConfig.Objective.fromWire(c.getString("objective"))
                        .orElseThrow(() ->
                                new IllegalArgumentException("kairos.pricing.objective must be margin or revenue")),
                c.getString("demand-model"),
                new Thompson(
                        t.getDouble("curvature-sd"),
                        t.getInt("hours-per-daypart"),
                        t.getDouble("daypart-sd.intercept"),
                        t.getDouble("daypart-sd.slope"),
                        t.getDouble("daypart-sd.curvature")),
                new QLearning(
                        q.getDouble("learning-rate"),
                        q.getDouble("discount"),
                        q.getDouble("step-percent"),
                        q.getInt("hours-per-window"),
                        q.getInt("price-levels"),
                        q.getDouble("epsilon-min")),
                new View(
                        v.getInt("max-skus"),
                        v.getInt("buckets"),
                        v.getDuration("write-timeout"),
                        v.getDuration("staleness-bound"),
                        v.getDuration("replicator.gossip-interval"),
                        v.getDuration("replicator.notify-subscribers-interval")),
                c.getDuration("ask-timeout"));
        settings.check();
        return settings;
    }

    private void check() {
        if (historyRetention.compareTo(Duration.ofDays(31)) < 0) {
            throw new IllegalArgumentException("kairos.pricing.history.retention must cover lowestPrice30d (>= 31d)");
        }
        if (tags < 1
                || view.buckets() < 1
                || thompson.hoursPerDaypart() < 1
                || 24 % thompson.hoursPerDaypart() != 0
                || qlearning.hoursPerWindow() < 1
                || 24 % qlearning.hoursPerWindow() != 0) {
            throw new IllegalArgumentException("kairos.pricing: tags, buckets >= 1 and hours dividing 24 expected");
        }
    }

    public PricingSettings withRandomSeed(long seed) {
        return new PricingSettings(
                currency,
                timeZone,
                tags,
                entity,
                minRepriceEvery,
                repriceTimer,
                tickInterval,
                historyRetention,
                historyMaxEntries,
                decisionsRetained,
                dedupGenerationSize,
                dedupGenerations,
                seed,
                ladderStepPercent,
                defaultPrior,
                defaultObjective,
                demandModel,
                thompson,
                qlearning,
                view,
                askTimeout);
    }
}
