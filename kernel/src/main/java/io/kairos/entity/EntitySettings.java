package io.kairos.entity;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.SupervisorStrategy;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Optional;

/**
 * How one entity type restarts after a failure and how often it snapshots: {@code kairos.entities.<type>} over
 * {@code kairos.entities.default}. Every entity reads its own once, when its type is initialised, and never looks
 * config up in a handler.
 *
 * @param snapshotEvery events between snapshots; 0 disables them
 * @param keepSnapshots how many snapshots are kept (older ones are deleted)
 */
public record EntitySettings(
        Duration minBackoff, Duration maxBackoff, double randomFactor, int snapshotEvery, int keepSnapshots) {

    public EntitySettings {
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("restart-backoff needs 0 <= min <= max");
        }
        if (randomFactor < 0 || randomFactor > 1) throw new IllegalArgumentException("random-factor must be in [0, 1]");
        if (snapshotEvery < 0 || keepSnapshots < 1) {
            throw new IllegalArgumentException("snapshot-every must be >= 0 and keep-snapshots >= 1");
        }
    }

    public static EntitySettings create(ActorSystem<?> system, String type) {
        return fromConfig(system.settings().config().getConfig("kairos.entities"), type);
    }

    /** {@code entities} is the {@code kairos.entities} block. */
    public static EntitySettings fromConfig(Config entities, String type) {
        var c = entities.hasPath(type)
                ? entities.getConfig(type).withFallback(entities.getConfig("default"))
                : entities.getConfig("default");
        return new EntitySettings(
                c.getDuration("restart-backoff.min"),
                c.getDuration("restart-backoff.max"),
                c.getDouble("restart-backoff.random-factor"),
                c.getInt("snapshot-every"),
                c.getInt("keep-snapshots"));
    }

    /** The strategy and criteria built from equal settings, shared: every entity of a type asks for them. */
    private record Built(Optional<BackoffSupervisorStrategy> backoff, RetentionCriteria retention) {}

    private static final java.util.Map<EntitySettings, Built> BUILT = new java.util.concurrent.ConcurrentHashMap<>();

    private Built built() {
        return BUILT.computeIfAbsent(
                this,
                s -> new Built(
                        Optional.of(SupervisorStrategy.restartWithBackoff(s.minBackoff, s.maxBackoff, s.randomFactor)),
                        s.snapshotEvery == 0
                                ? RetentionCriteria.disabled()
                                : RetentionCriteria.snapshotEvery(s.snapshotEvery, s.keepSnapshots)));
    }

    /**
     * One instance for all entities with these settings (a shopper held its own, with four durations, before), in the
     * {@code Optional} Akka's entity constructor keeps: built here once, not once per entity.
     */
    public Optional<BackoffSupervisorStrategy> restartBackoff() {
        return built().backoff();
    }

    public RetentionCriteria retention() {
        return built().retention();
    }

    /** The same settings without snapshots (simulators on an in-memory journal). */
    public EntitySettings withoutSnapshots() {
        return new EntitySettings(minBackoff, maxBackoff, randomFactor, 0, keepSnapshots);
    }
}
