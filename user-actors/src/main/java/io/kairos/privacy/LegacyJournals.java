package io.kairos.privacy;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.persistence.cassandra.cleanup.Cleanup;
import akka.persistence.cassandra.cleanup.CleanupSettings;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletionStage;
import scala.jdk.javaapi.FutureConverters;

/**
 * Erasure of a journal written before pseudonyms: it names its subject and holds plain events, so no key can shred it.
 * akka-persistence-cassandra's {@link Cleanup} deletes its events, their events-by-tag copies and its snapshots (not a
 * dry run, its default; as tombstones, gone from disk after the tables' gc_grace_seconds and a compaction).
 */
final class LegacyJournals {
    private LegacyJournals() {}

    static CompletionStage<Done> delete(ActorSystem<?> system, String persistenceId) {
        var cleanup = new Cleanup(
                Adapter.toClassic(system),
                new CleanupSettings(ConfigFactory.parseString("dry-run = false")
                        .withFallback(system.settings().config().getConfig("akka.persistence.cassandra.cleanup"))));
        return FutureConverters.asJava(cleanup.deleteAll(persistenceId, false));
    }
}
