package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.kairos.devcassandra.TestCassandra;
import io.kairos.shopper.Profile;
import io.kairos.shopper.ShopperEvent;
import io.kairos.shopper.ShopperEvent.ProfileUpdated;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Journals written before pseudonyms (issue 15): a shopper journal named by its shopper id, with plain events, as every
 * earlier version wrote it. A node of this version registers it as legacy on its first start: the shopper keeps its
 * history and records new events there; erasing it deletes that journal outright, as no key can shred it.
 */
class LegacyJournalIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHOPPER = "old-timer-1";

    @Test
    void aShopperJournalFromBeforePseudonymsIsReadKeptAndErasedByDeletion() throws Exception {
        var schema = NodeHarness.freshSchema("legacy");
        var profile = new ProfileUpdated(
                new Profile(
                        null,
                        "45-54",
                        "Oldtown",
                        null,
                        null,
                        null,
                        Map.of("name", "Olga Legacy"),
                        Map.of(),
                        List.of(),
                        null),
                Instant.parse("2026-11-01T10:00:00Z"));
        writePlain(schema, "Shopper|" + SHOPPER, profile);

        try (var node = NodeHarness.start(schema)) {
            var shopper = JSON.readTree(node.get("/v1/shoppers/" + SHOPPER).body());
            assertThat(shopper.path("profile").path("region").asText()).isEqualTo("Oldtown");
            var view = "{\"events\":[{\"eventId\":\"legacy-v1\",\"shopperId\":\"" + SHOPPER
                    + "\",\"type\":\"view\",\"occurredAt\":\"" + Instant.now() + "\"}]}";
            assertThat(JSON.readTree(node.post("/v1/events", view).body())
                            .path("accepted")
                            .asInt())
                    .isEqualTo(1);
            // the old journal goes on, in plain form, under the shopper id
            var events = node.journal("Shopper|" + SHOPPER).stream()
                    .map(e -> e.event())
                    .toList();
            assertThat(events.get(0)).isEqualTo(profile);
            assertThat(events).anyMatch(e -> e instanceof ShopperEvent.BehaviourRecorded);
            try (CqlSession session = TestCassandra.shared().openSession()) {
                assertThat(rows(session, schema.journalKeyspace(), "Shopper|" + SHOPPER))
                        .isEqualTo(events.size());

                assertThat(node.delete("/v1/shoppers/" + SHOPPER).statusCode()).isEqualTo(204);

                assertThat(rows(session, schema.journalKeyspace(), "Shopper|" + SHOPPER))
                        .isZero();
                assertThat(node.get("/v1/shoppers/" + SHOPPER).statusCode()).isEqualTo(404);
                assertThat(JSON.readTree(node.post("/v1/events", view.replace("legacy-v1", "legacy-v2"))
                                        .body())
                                .path("erased")
                                .asInt())
                        .isEqualTo(1);
            }
        }
    }

    private static long rows(CqlSession session, String keyspace, String persistenceId) {
        return session.execute(
                        "SELECT sequence_nr FROM " + keyspace
                                + ".messages WHERE persistence_id = ? AND partition_nr = 0",
                        persistenceId)
                .all()
                .size();
    }

    /** Persists {@code event} in plain form under {@code persistenceId}, as versions before pseudonyms did. */
    private static void writePlain(
            io.kairos.devcassandra.CassandraSchema.SchemaSettings schema, String persistenceId, ShopperEvent event)
            throws Exception {
        var config = ConfigFactory.parseString(
                """
        akka.actor.provider = local
        akka.persistence.cassandra.journal.keyspace = %s
        akka.persistence.cassandra.snapshot.keyspace = %s
        akka.coordinated-shutdown.exit-jvm = off
        akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        """
                        .formatted(schema.journalKeyspace(), schema.snapshotKeyspace()));
        var system = ActorSystem.<Void>create(
                Behaviors.empty(),
                "legacy-writer",
                KairosNode.config("production", List.of(TestCassandra.shared().contactPoint()), config));
        try {
            var writer = system.systemActorOf(new PlainWriter(persistenceId), "writer", akka.actor.typed.Props.empty());
            AskPattern.<PlainWriter.Write, akka.Done>ask(
                            writer, r -> new PlainWriter.Write(event, r), Duration.ofSeconds(30), system.scheduler())
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** A journal writer with no adapter: what a shopper entity wrote before pseudonyms. */
    private static final class PlainWriter extends EventSourcedBehavior<PlainWriter.Write, ShopperEvent, Integer> {
        record Write(ShopperEvent event, akka.actor.typed.ActorRef<akka.Done> replyTo) {}

        PlainWriter(String persistenceId) {
            super(PersistenceId.ofUniqueId(persistenceId));
        }

        @Override
        public Integer emptyState() {
            return 0;
        }

        @Override
        public CommandHandler<Write, ShopperEvent, Integer> commandHandler() {
            return newCommandHandlerBuilder()
                    .forAnyState()
                    .onCommand(
                            Write.class,
                            w -> Effect().persist(w.event()).thenReply(w.replyTo(), s -> akka.Done.getInstance()))
                    .build();
        }

        @Override
        public EventHandler<Integer, ShopperEvent> eventHandler() {
            return (state, event) -> state + 1;
        }
    }
}
