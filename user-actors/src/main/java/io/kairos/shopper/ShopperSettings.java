package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;

/** The {@code kairos.shopper} configuration, read once per node. */
public record ShopperSettings(
        List<String> projectionTags,
        RecordingPolicy recording,
        LifecycleRules lifecycle,
        Duration linkTimeout,
        double highValueMonetary) {

    public static ShopperSettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config().getConfig("kairos.shopper"));
    }

    public static ShopperSettings fromConfig(Config c) {
        int tagCount = c.getInt("projection-tags");
        var weights = new EnumMap<EventType, Double>(EventType.class);
        var w = c.getConfig("scoring.category-weights");
        for (var t : EventType.values()) if (w.hasPath(t.wireName())) weights.put(t, w.getDouble(t.wireName()));
        return new ShopperSettings(
                ShopperEvent.tags(tagCount),
                new RecordingPolicy(
                        c.getDuration("scoring.half-life"),
                        weights,
                        c.getInt("max-categories"),
                        c.getInt("dedup-capacity"),
                        c.getInt("recent-orders")),
                new LifecycleRules(
                        c.getDuration("lifecycle.dormant-after"),
                        c.getDuration("lifecycle.churned-after"),
                        c.getDuration("lifecycle.active-window"),
                        c.getDouble("lifecycle.declining-factor"),
                        c.getDuration("lifecycle.declining-min"),
                        c.getDouble("lifecycle.model-dormant-below"),
                        c.getDouble("lifecycle.model-churned-below")),
                c.getDuration("link-timeout"),
                c.getDouble("tags.high-value-monetary"));
    }

    /** The projection tag of a shopper: a fixed function of its id, so it never changes for a shopper. */
    public String tagFor(String shopperId) {
        return projectionTags.get(Math.abs(shopperId.hashCode() % projectionTags.size()));
    }
}
