package io.kairos.privacy;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.pubsub.DistributedPubSub;
import akka.cluster.pubsub.DistributedPubSubMediator;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.typed.PersistenceId;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import akka.stream.javadsl.Sink;
import com.datastax.oss.driver.api.core.cql.Row;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kairos.offer.KairosTables;
import io.kairos.serialization.CborSerializable;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PersonKeys} in Cassandra, one per node (an Akka extension): each person's pseudonym and key
 * ({@code person_ids}, {@code person_keys}, see ops/cassandra/09-privacy.cql): what crypto-shredding needs. A subject
 * (a shopper id, or an identity such as {@code email:…}) gets a random pseudonym, which names its journal
 * ({@code Shopper|<pseudonym>}, never the subject), and a random key ({@link PersonSecret}), under which its events and
 * snapshots are sealed ({@link Seals}). Erasure deletes both and keeps the subject's row as a suppression entry, so the
 * person cannot come back through any path that reaches a shopper (ingestion over HTTP or Kafka, tracked links,
 * backfills all do).
 *
 * <p>Rows are found by an HMAC of the subject under {@code kairos.privacy.lookup-secret}: the tables never hold a
 * subject. Subjects whose journal was written before pseudonyms (this version's first start finds them once in the
 * journal's persistence ids) stay {@link Legacy}: their journal keeps its name and its plain events, and erasure
 * deletes it instead.
 *
 * <p>Resolutions are cached on each node; an erasure removes them from every node's cache (distributed pub-sub) before
 * its shopper can start again.
 */
public final class CassandraPersonKeys implements PersonKeys, Extension {
    private static final Logger log = LoggerFactory.getLogger(CassandraPersonKeys.class);
    private static final String TOPIC = "kairos-person-erasures";
    private static final String LEGACY_MIGRATION = "legacy-shoppers";

    /** What every node drops from its caches when a person is erased. */
    public record Forget(List<String> subjects, List<String> pseudonyms) implements CborSerializable {}

    private final ActorSystem<?> system;
    private final PrivacySettings settings;
    private final Function<String, ByteBuffer> lookups;
    private final CassandraSession session;
    private final KairosTables tables;
    private final Seals seals;
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Resolution> bySubject;
    private final Cache<String, PersonSecret> byPseudonym;
    private final Cache<String, String> whose;
    private final akka.actor.ActorRef mediator;
    private final CompletionStage<Done> migrated;

    private CassandraPersonKeys(ActorSystem<?> system) {
        this.system = system;
        this.settings = PrivacySettings.create(system);
        this.lookups = settings.lookups();
        this.tables = KairosTables.of(system);
        this.session = tables.session();
        this.seals = Seals.create(system);
        this.bySubject = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .expireAfterAccess(settings.cacheTtl())
                .build();
        this.byPseudonym = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .expireAfterAccess(settings.cacheTtl())
                .build();
        this.whose = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .expireAfterAccess(settings.cacheTtl())
                .build();
        // A reader outside the cluster (a tool, a test's journal reader) has no pub-sub and erases nothing.
        this.mediator = "cluster".equals(system.settings().config().getString("akka.actor.provider"))
                ? DistributedPubSub.get(Adapter.toClassic(system)).mediator()
                : null;
        if (mediator != null) {
            var forgetter = system.systemActorOf(
                    Behaviors.receive(Object.class)
                            .onMessage(Forget.class, f -> {
                                forgetLocally(f);
                                return Behaviors.same();
                            })
                            .onAnyMessage(ack -> Behaviors.same())
                            .build(),
                    "person-keys-forget",
                    Props.empty());
            var classic = Adapter.toClassic(forgetter);
            mediator.tell(new DistributedPubSubMediator.Subscribe(TOPIC, classic), classic);
        }
        this.migrated = registerLegacy();
    }

    @Override
    public Seals seals() {
        return seals;
    }

    /** Completes once the journals written before pseudonyms are registered (at once after the first start). */
    public CompletionStage<Done> ready() {
        return migrated;
    }

    @Override
    public CompletionStage<Resolution> resolve(String subject) {
        return lookup(subject, true);
    }

    @Override
    public CompletionStage<Resolution> find(String subject) {
        return lookup(subject, false);
    }

    @Override
    public CompletionStage<Optional<PersonSecret>> secretOf(String pseudonym) {
        var cached = byPseudonym.getIfPresent(pseudonym);
        if (cached != null) return CompletableFuture.completedFuture(Optional.of(cached));
        return session.selectOne(
                        "SELECT secret FROM " + tables.table("person_keys") + " WHERE pseudonym = ?", pseudonym)
                .thenApply(row -> row.filter(r -> r.getByteBuffer("secret") != null)
                        .map(r -> {
                            var secret = PersonSecret.of(bytes(r.getByteBuffer("secret")));
                            byPseudonym.put(pseudonym, secret);
                            return secret;
                        }));
    }

    @Override
    public CompletionStage<Optional<String>> subjectOf(String pseudonym) {
        var cached = whose.getIfPresent(pseudonym);
        if (cached != null) return CompletableFuture.completedFuture(Optional.of(cached));
        return session.selectOne(
                        "SELECT secret, subject FROM " + tables.table("person_keys") + " WHERE pseudonym = ?",
                        pseudonym)
                .thenApply(
                        row -> row.filter(r -> r.getByteBuffer("secret") != null && r.getByteBuffer("subject") != null)
                                .map(r -> {
                                    var secret = PersonSecret.of(bytes(r.getByteBuffer("secret")));
                                    var sealed = new Sealed(bytes(r.getByteBuffer("subject")));
                                    var subject = seals.open(keyRow(pseudonym), secret, sealed)
                                            .subject();
                                    whose.put(pseudonym, subject);
                                    return subject;
                                }));
    }

    /** What the subject in a key row is sealed for (its associated data): that row only. */
    private static String keyRow(String pseudonym) {
        return "person_keys|" + pseudonym;
    }

    private CompletionStage<Resolution> lookup(String subject, boolean create) {
        var cached = bySubject.getIfPresent(subject);
        if (cached != null) return CompletableFuture.completedFuture(cached);
        var lookup = lookups.apply(subject);
        return migrated.thenCompose(done -> session.selectOne(
                        "SELECT pseudonym, secret, legacy, erased_at FROM " + tables.table("person_ids")
                                + " WHERE lookup = ?",
                        lookup))
                .thenCompose(row -> {
                    if (row.isPresent()) return CompletableFuture.completedFuture(cache(subject, of(row.get())));
                    if (!create) return CompletableFuture.completedFuture(new Unknown());
                    return create(subject, lookup);
                });
    }

    private static Resolution of(Row row) {
        if (row.getInstant("erased_at") != null) return new Erased(row.getInstant("erased_at"));
        if (row.getBoolean("legacy")) return new Legacy();
        return new Pseudonymous(row.getString("pseudonym"), PersonSecret.of(bytes(row.getByteBuffer("secret"))));
    }

    private Resolution cache(String subject, Resolution r) {
        bySubject.put(subject, r);
        if (r instanceof Pseudonymous p) byPseudonym.put(p.pseudonym(), p.secret());
        return r;
    }

    /**
     * A new subject's pseudonym and key: the key row first (with the subject sealed under the key, for
     * {@link #subjectOf}), so no subject row ever names a pseudonym without a key. Only the subject's own shopper
     * creates it, one at a time (sharding), so no two pseudonyms race for one subject.
     */
    private CompletionStage<Resolution> create(String subject, ByteBuffer lookup) {
        var pseudonym = PersonKeys.newPseudonym(random);
        var secret = PersonSecret.random(random);
        var key = ByteBuffer.wrap(secret.bytes());
        var sealedSubject = ByteBuffer.wrap(
                seals.seal(keyRow(pseudonym), secret, subject, "").data());
        return session.executeWrite(
                        "INSERT INTO " + tables.table("person_keys") + " (pseudonym, secret, subject) VALUES (?, ?, ?)",
                        pseudonym,
                        key,
                        sealedSubject)
                .thenCompose(done -> session.executeWrite(
                        "INSERT INTO " + tables.table("person_ids")
                                + " (lookup, pseudonym, secret, legacy) VALUES (?, ?, ?," + " false)",
                        lookup,
                        pseudonym,
                        key))
                .thenApply(done -> new Created((Pseudonymous) cache(subject, new Pseudonymous(pseudonym, secret))));
    }

    /**
     * Deletes each subject's key and pseudonym and keeps its row as a suppression entry, deletes a legacy journal
     * outright, tells every node's cache, and writes the receipt.
     */
    @Override
    public CompletionStage<Done> erase(String person, List<String> subjects, String erasedBy, Instant at) {
        var pseudonyms = new ArrayList<String>();
        CompletionStage<Done> chain = migrated;
        for (var subject : subjects) {
            var lookup = lookups.apply(subject);
            chain = chain.thenCompose(done -> session.selectOne(
                            "SELECT pseudonym, legacy FROM " + tables.table("person_ids") + " WHERE lookup = ?", lookup)
                    .thenCompose(row -> {
                        var pseudonym = row.map(r -> r.getString("pseudonym"));
                        pseudonym.ifPresent(pseudonyms::add);
                        CompletionStage<Done> keyGone = pseudonym.isPresent()
                                ? session.executeWrite(
                                        "DELETE FROM " + tables.table("person_keys") + " WHERE pseudonym = ?",
                                        pseudonym.get())
                                : CompletableFuture.completedFuture(Done.getInstance());
                        boolean legacy = row.map(r -> r.getBoolean("legacy")).orElse(false);
                        return keyGone.thenCompose(d -> legacy
                                        ? LegacyJournals.delete(system, SealedJournals.subjectId(subject))
                                        : CompletableFuture.completedFuture(Done.getInstance()))
                                .thenCompose(d -> session.executeWrite(
                                        "UPDATE " + tables.table("person_ids")
                                                + " SET pseudonym = null, secret = null, legacy = null,"
                                                + " erased_at = ? WHERE lookup = ?",
                                        at,
                                        lookup));
                    }));
        }
        return chain.thenCompose(done -> session.executeWrite(
                        "INSERT INTO " + tables.table("person_erasures")
                                + " (day, erased_at, pseudonym, erased_by, identities) VALUES (?, ?, ?, ?, ?)",
                        LocalDate.ofInstant(at, ZoneOffset.UTC).toString(),
                        at,
                        person,
                        erasedBy,
                        subjects.size() - 1))
                .thenApply(done -> {
                    var forget = new Forget(List.copyOf(subjects), List.copyOf(pseudonyms));
                    forgetLocally(forget);
                    if (mediator != null) {
                        mediator.tell(
                                new DistributedPubSubMediator.Publish(TOPIC, forget), akka.actor.ActorRef.noSender());
                    }
                    log.info("Erased a person ({} identities) for {}", subjects.size() - 1, erasedBy);
                    return Done.getInstance();
                });
    }

    /** An erasure receipt: no personal data, only who erased which pseudonym when. */
    public record Receipt(Instant erasedAt, String pseudonym, String erasedBy, int identities) {}

    /** The receipts of erasures on UTC day {@code day}, oldest first. */
    public CompletionStage<List<Receipt>> receipts(LocalDate day) {
        return session.selectAll(
                        "SELECT erased_at, pseudonym, erased_by, identities FROM " + tables.table("person_erasures")
                                + " WHERE day = ?",
                        day.toString())
                .thenApply(rows -> rows.stream()
                        .map(r -> new Receipt(
                                r.getInstant("erased_at"),
                                r.getString("pseudonym"),
                                r.getString("erased_by"),
                                r.getInt("identities")))
                        .toList());
    }

    private void forgetLocally(Forget f) {
        bySubject.invalidateAll(f.subjects());
        byPseudonym.invalidateAll(f.pseudonyms());
        whose.invalidateAll(f.pseudonyms());
    }

    /**
     * Registers, once per keyspace, every shopper journal written before pseudonyms as {@link Legacy}, so its shopper
     * keeps its history instead of starting over under a new pseudonym. Shoppers wait for it ({@link #ready}).
     */
    private CompletionStage<Done> registerLegacy() {
        var done = tables.table("privacy_migrations");
        return session.selectOne("SELECT finished_at FROM " + done + " WHERE name = ?", LEGACY_MIGRATION)
                .thenCompose(row -> {
                    if (row.isPresent()) return CompletableFuture.completedFuture(Done.getInstance());
                    var journal = PersistenceQuery.get(Adapter.toClassic(system))
                            .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
                    return journal.currentPersistenceIds()
                            .filter(SealedJournals::isShopper)
                            .map(PersistenceId::extractEntityId)
                            .mapAsync(4, this::registerLegacy)
                            .runWith(Sink.fold(0, (n, registered) -> registered ? n + 1 : n), system)
                            .thenCompose(n -> {
                                log.info("Registered {} shopper journals written before pseudonyms as legacy", n);
                                return session.executeWrite(
                                        "INSERT INTO " + done + " (name, finished_at) VALUES (?, ?)",
                                        LEGACY_MIGRATION,
                                        Instant.now());
                            });
                });
    }

    /** Registers {@code subject} as legacy unless its journal is a pseudonym's (one with a key) or it is known. */
    private CompletionStage<Boolean> registerLegacy(String subject) {
        CompletionStage<Boolean> pseudonymous = isPseudonym(subject)
                ? session.selectOne(
                                "SELECT pseudonym FROM " + tables.table("person_keys") + " WHERE pseudonym = ?",
                                subject)
                        .thenApply(Optional::isPresent)
                : CompletableFuture.completedFuture(false);
        return pseudonymous.thenCompose(skip -> skip
                ? CompletableFuture.completedFuture(false)
                : session.selectOne(
                                "INSERT INTO " + tables.table("person_ids")
                                        + " (lookup, legacy) VALUES (?, true) IF NOT" + " EXISTS",
                                lookups.apply(subject))
                        .thenApply(r -> r.map(x -> x.getBoolean("[applied]")).orElse(false)));
    }

    private static boolean isPseudonym(String s) {
        if (s.length() != 22) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_') return false;
        }
        return true;
    }

    private static byte[] bytes(ByteBuffer b) {
        var copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        return copy;
    }

    /** The extension's id. */
    public static final class Id extends ExtensionId<CassandraPersonKeys> {
        static final Id INSTANCE = new Id();

        @Override
        public CassandraPersonKeys createExtension(ActorSystem<?> system) {
            return new CassandraPersonKeys(system);
        }
    }
}
