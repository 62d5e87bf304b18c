package io.kairos.entity;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.SupervisorStrategy;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.typesafe.config.Config;
import java.time.Duration;

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

    public BackoffSupervisorStrategy restartBackoff() {
        return SupervisorStrategy.restartWithBackoff(minBackoff, maxBackoff, randomFactor);
    }

    public RetentionCriteria retention() {
        return snapshotEvery == 0
                ? RetentionCriteria.disabled()
                : RetentionCriteria.snapshotEvery(snapshotEvery, keepSnapshots);
    }

    /** The same settings without snapshots (simulators on an in-memory journal). */
    public EntitySettings withoutSnapshots() {
        return new EntitySettings(minBackoff, maxBackoff, randomFactor, 0, keepSnapshots);
    }
}
