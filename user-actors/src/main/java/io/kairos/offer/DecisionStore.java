package io.kairos.offer;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import akka.stream.javadsl.Source;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.privacy.PersonKeys;
import io.kairos.privacy.PersonKeys.Legacy;
import io.kairos.privacy.PersonKeys.Pseudonymous;
import io.kairos.privacy.Sealed;
import io.kairos.privacy.SealedJournals;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decisions by id in Cassandra ({@code <kairos keyspace>.decisions}, ops/cassandra/05-offers.cql), written by the
 * shopper projection from {@code OfferIssued}, {@code HoldoutAssigned} and {@code NoOfferDecided} events and read by
 * {@code GET /v1/audit/decisions/{id}}.
 *
 * <p>Why a table: the journal is the source of truth but is keyed by shopper, and a decision id must lead to its record
 * in one read however long the shopper's history is. Rows are immutable copies of the recorded decision (the record as
 * JSON, with the persistence id and sequence number of the event, so an auditor can check it against the journal); the
 * projection writes them at least once, and a rewrite writes the same row. A decision is readable here once the
 * projection has seen its event: within the events-by-tag delay plus the query refresh interval (about 3 s with the
 * node's settings).
 *
 * <p>A shopper's decision is personal data (its features name the profile): the row names the person's pseudonym, not
 * the shopper id, and holds the record sealed under the person's key ({@link PersonKeys}), so erasing the person makes
 * it unreadable too; a read opens it and answers with the shopper id as before. Rows of legacy journals stay plain;
 * nothing is written for an erased person.
 */
public record DecisionStore(CassandraSession session, ObjectMapper json, String table, PersonKeys keys)
        implements DecisionLookup {

    public static DecisionStore create(ActorSystem<?> system) {
        var tables = KairosTables.of(system);
        var json = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
        return new DecisionStore(tables.session(), json, tables.table("decisions"), PersonKeys.get(system));
    }

    /** How a sealed row's record starts: the base64 of its sealed bytes follows. */
    private static final String SEALED = "sealed:";

    /** Decisions opened at once while reading a window (their keys looked up concurrently). */
    private static final int PARALLEL_OPENS = 8;

    /** How a row of the record's second shape starts, as {@link #save} writes it. */
    private static final String SECOND_SHAPE = "{\"record\":{\"recordVersion\":";

    /** What a row holds: the decision as recorded, and the offer it issued (null for a holdout). */
    public record Body(DecisionRecord record, Offer offer) {}

    /**
     * A row's body; rows written before the decision record's second version hold its first shape, which is upgraded as
     * it is read.
     */
    public static Body read(ObjectMapper json, String row) throws JsonProcessingException {
        // A row of the second shape binds directly (what every row written since is; the writer puts recordVersion
        // first): decimals bind from their text, so money keeps its scale. Only a first-shape row goes through a tree.
        if (row.startsWith(SECOND_SHAPE)) return json.readerFor(Body.class).readValue(row);
        // Decimals as written (45.00 stays 45.00): money in the record keeps its scale.
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.reader()
                .with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
                .readTree(row);
        tree.set("record", DecisionRecordV1.upgrade(tree.get("record")));
        return json.treeToValue(tree, Body.class);
    }

    public CompletionStage<Done> save(StoredDecision d) {
        String body;
        try {
            body = json.writeValueAsString(new Body(d.record(), d.offer()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (!SealedJournals.isShopper(d.persistenceId())) return write(d, d.shopperId(), d.persistenceId(), body);
        return keys.find(d.shopperId()).thenCompose(person -> {
            if (person instanceof Pseudonymous p) {
                var journal = SealedJournals.subjectId(p.pseudonym());
                var sealed = keys.seals().seal(journal, p.secret(), d.shopperId(), body);
                return write(
                        d, p.pseudonym(), journal, SEALED + Base64.getEncoder().encodeToString(sealed.data()));
            }
            if (person instanceof Legacy) return write(d, d.shopperId(), d.persistenceId(), body);
            return CompletableFuture.completedFuture(Done.getInstance()); // erased: nothing is kept about it
        });
    }

    private CompletionStage<Done> write(StoredDecision d, String shopper, String persistenceId, String record) {
        return session.executeWrite(
                "INSERT INTO " + table
                        + " (decision_id, shopper_id, persistence_id, sequence_nr, kind, decided_at, record) VALUES (?, ?, ?, ?, ?, ?, ?)",
                d.decisionId(),
                shopper,
                persistenceId,
                d.sequenceNr(),
                d.kind(),
                d.decidedAt(),
                record);
    }

    private static final String COLUMNS =
            "decision_id, shopper_id, persistence_id, sequence_nr, kind, decided_at, record";

    @Override
    public CompletionStage<Optional<StoredDecision>> find(String decisionId) {
        return session.selectOne("SELECT " + COLUMNS + " FROM " + table + " WHERE decision_id = ?", decisionId)
                .thenCompose(row ->
                        row.isPresent() ? decision(row.get()) : CompletableFuture.completedFuture(Optional.empty()));
    }

    /**
     * Every decision made in {@code [from, to)}, in no particular order. The table is keyed by decision id, so this
     * reads it whole (a filtered scan, paged by the driver): its cost grows with the table, not with the window.
     */
    @Override
    public Source<StoredDecision, NotUsed> between(Instant from, Instant to) {
        return storedBetween(from, to)
                .mapAsync(PARALLEL_OPENS, Stored::open)
                .filter(Optional::isPresent)
                .map(Optional::get);
    }

    /** The rows of {@link #between}, each opened with its person's key when asked. */
    @Override
    public Source<Stored, NotUsed> storedBetween(Instant from, Instant to) {
        return rowsBetween(from, to).map(row -> () -> decision(row));
    }

    /** The rows of {@link #between}, not decoded: what reading them costs, for the audit benchmark's reference. */
    public Source<Row, NotUsed> rowsBetween(Instant from, Instant to) {
        return session.select(
                "SELECT " + COLUMNS + " FROM " + table + " WHERE decided_at >= ? AND decided_at < ? ALLOW FILTERING",
                from,
                to);
    }

    /** A row's decision, opened with its person's key; empty once the person is erased. */
    private CompletionStage<Optional<StoredDecision>> decision(Row r) {
        var record = r.getString("record");
        if (!record.startsWith(SEALED)) {
            return CompletableFuture.completedFuture(
                    Optional.of(decision(r, r.getString("shopper_id"), r.getString("persistence_id"), record)));
        }
        var journal = r.getString("persistence_id");
        var sealed = new Sealed(Base64.getDecoder().decode(record.substring(SEALED.length())));
        return keys.secretOf(r.getString("shopper_id"))
                .thenApply(secret -> secret.map(k -> {
                    var opened = keys.seals().open(journal, k, sealed);
                    return decision(
                            r, opened.subject(), SealedJournals.subjectId(opened.subject()), (String) opened.value());
                }));
    }

    private StoredDecision decision(Row r, String shopperId, String persistenceId, String record) {
        try {
            var body = read(json, record);
            return new StoredDecision(
                    r.getString("decision_id"),
                    shopperId,
                    persistenceId,
                    r.getLong("sequence_nr"),
                    r.getString("kind"),
                    r.getInstant("decided_at"),
                    body.record(),
                    body.offer());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
