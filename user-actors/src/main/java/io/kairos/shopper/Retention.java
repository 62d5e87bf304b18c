package io.kairos.shopper;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import akka.stream.javadsl.Sink;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.typesafe.config.Config;
import io.kairos.offer.KairosTables;
import io.kairos.privacy.PersonKeys;
import io.kairos.serialization.CborSerializable;
import io.kairos.shopper.ShopperEvent.BehaviourRecorded;
import io.kairos.shopper.ShopperEvent.IdentityLinked;
import io.kairos.shopper.ShopperEvent.OfferClaimed;
import io.kairos.shopper.ShopperEvent.OfferOpened;
import io.kairos.shopper.ShopperEvent.OrderPlaced;
import io.kairos.shopper.ShopperEvent.ProfileUpdated;
import io.kairos.time.NodeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic erasure of shoppers inactive for {@code kairos.privacy.retention.inactive-after} (storage limitation, GDPR
 * Art. 5(1)(e)); off unless a shop sets its policy. The shopper projection notes each person's last own activity
 * (behaviour events by when they happened, profile changes, identity links, claims, opens, orders; not what Kairos did
 * for the person) in {@code person_activity}, by the name the read side gives the person ({@link PersonKeys#nameOf}:
 * its pseudonym), at most once a day per person and projection. One sweeper for the cluster (a sharded daemon process
 * of one) reads the table every {@code sweep-interval}; for each person last seen before the cut-off it asks the
 * shopper itself (its last event must be older too: the table may lag) and erases it as {@code DELETE
 * /v1/shoppers/{id}} does, with {@code retention} as who asked (the receipt says so), identities included.
 */
public final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    static final String ERASED_BY = "retention";

    /** The {@code kairos.privacy.retention} settings; {@code inactiveAfter} null: off. */
    public record Settings(Duration inactiveAfter, Duration sweepInterval, int parallelism, Duration askTimeout) {
        public boolean enabled() {
            return inactiveAfter != null;
        }

        public static Settings fromConfig(Config root) {
            var c = root.getConfig("kairos.privacy.retention");
            var after = c.getString("inactive-after").trim();
            return new Settings(
                    after.equals("off") ? null : c.getDuration("inactive-after"),
                    c.getDuration("sweep-interval"),
                    c.getInt("parallelism"),
                    c.getDuration("ask-timeout"));
        }
    }

    private Retention() {}

    /** When {@code event} shows its person active, if it does; {@code recordedAt}: when it was journalled. */
    static Optional<Instant> activeAt(ShopperEvent event, Instant recordedAt) {
        if (event instanceof BehaviourRecorded b)
            return Optional.ofNullable(b.event().occurredAt());
        if (event instanceof ProfileUpdated p) return Optional.of(p.at());
        if (event instanceof IdentityLinked l) return Optional.of(l.at());
        if (event instanceof OfferClaimed c) return Optional.of(c.at());
        if (event instanceof OfferOpened o) return Optional.of(o.at());
        if (event instanceof OrderPlaced) return Optional.of(recordedAt);
        return Optional.empty();
    }

    /** The last activity of each person (by name). */
    record ActivityStore(CassandraSession session, String table) {
        static ActivityStore create(ActorSystem<?> system) {
            var tables = KairosTables.of(system);
            return new ActivityStore(tables.session(), tables.table("person_activity"));
        }

        /** Written with {@code at} as its timestamp: the latest activity wins whatever order the writes come in. */
        CompletionStage<Done> seen(String name, Instant at) {
            return session.executeWrite(
                    "INSERT INTO " + table + " (name, last_seen) VALUES (?, ?) USING TIMESTAMP ?",
                    name,
                    at,
                    TimeUnit.MILLISECONDS.toMicros(at.toEpochMilli()));
        }

        CompletionStage<Done> forget(String name) {
            return session.executeWrite("DELETE FROM " + table + " WHERE name = ?", name);
        }
    }

    /** What the shopper projection notes: a person's activity, once a day per person (per projection instance). */
    static final class ActivityLog {
        private final ActivityStore store;
        private final PersonKeys keys;
        private final Cache<String, Long> writtenDay =
                Caffeine.newBuilder().maximumSize(100_000).build();

        ActivityLog(ActivityStore store, PersonKeys keys) {
            this.store = store;
            this.keys = keys;
        }

        /**
         * Notes the person's activity if {@code event} shows one. Any other event it reads makes sure the person has a
         * row without making it active: last seen at the epoch, written with the epoch as its timestamp, so any real
         * activity wins and the sweeper asks the shopper itself. (Behaviour without a demand signal is not tagged, so
         * no projection reads it; the shopper's own last event is what the sweeper decides by.)
         */
        CompletionStage<Done> note(String shopperId, ShopperEvent event, Instant recordedAt) {
            var at = activeAt(event, recordedAt);
            long day = at.map(t -> t.getEpochSecond() / 86_400).orElse(-1L);
            var written = writtenDay.getIfPresent(shopperId);
            if (written != null && written >= day) return CompletableFuture.completedFuture(Done.getInstance());
            return keys.nameOf(shopperId).thenCompose(name -> name.map(
                            n -> store.seen(n, at.orElse(Instant.EPOCH)).thenApply(done -> {
                                writtenDay.put(shopperId, day);
                                return done;
                            }))
                    .orElse(CompletableFuture.completedFuture(Done.getInstance())));
        }
    }

    public sealed interface Command extends CborSerializable {}

    record Tick() implements Command {}

    record Swept(int erased, String failure) implements Command {}

    /** Starts the cluster's one sweeper, if retention is on. */
    public static void init(ActorSystem<?> system) {
        var settings = Settings.fromConfig(system.settings().config());
        if (!settings.enabled()) return;
        var sharding = ClusterSharding.get(system);
        Function<String, RecipientRef<ShopperCommand>> shoppers =
                id -> sharding.entityRefFor(ShopperEntity.ENTITY_KEY, id);
        var sweep = new Sweep(
                settings,
                ActivityStore.create(system),
                PersonKeys.get(system),
                shoppers,
                system,
                NodeClock.get(system).clock());
        log.info(
                "Retention: shoppers inactive for {} are erased (swept every {})",
                settings.inactiveAfter(),
                settings.sweepInterval());
        ShardedDaemonProcess.get(system).init(Command.class, "shopper-retention", 1, i -> sweeper(sweep, settings));
    }

    private static Behavior<Command> sweeper(Sweep sweep, Settings settings) {
        return Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Tick(), settings.sweepInterval());
            return idle(sweep);
        });
    }

    private static Behavior<Command> idle(Sweep sweep) {
        return Behaviors.receive(Command.class)
                .onMessage(
                        Tick.class,
                        t -> Behaviors.setup(ctx -> {
                            ctx.pipeToSelf(
                                    sweep.run(),
                                    (erased, failure) -> new Swept(
                                            erased == null ? 0 : erased, failure == null ? null : failure.toString()));
                            return sweeping(sweep);
                        }))
                .onMessage(Swept.class, s -> Behaviors.same())
                .build();
    }

    private static Behavior<Command> sweeping(Sweep sweep) {
        return Behaviors.receive(Command.class)
                .onMessage(Tick.class, t -> Behaviors.same()) // one sweep at a time
                .onMessage(Swept.class, s -> {
                    if (s.failure() != null) log.warn("Retention sweep failed: {}", s.failure());
                    else if (s.erased() > 0) log.info("Retention: erased {} inactive shoppers", s.erased());
                    return idle(sweep);
                })
                .build();
    }

    /** One pass over every person's last activity. */
    private record Sweep(
            Settings settings,
            ActivityStore store,
            PersonKeys keys,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            ActorSystem<?> system,
            Clock clock) {

        CompletionStage<Integer> run() {
            var now = clock.instant();
            var cutoff = now.minus(settings.inactiveAfter());
            return store.session()
                    .select("SELECT name, last_seen FROM " + store.table())
                    .filter(row -> row.getInstant("last_seen").isBefore(cutoff))
                    .mapAsyncUnordered(settings.parallelism(), row -> expire(row.getString("name"), cutoff, now)
                            .exceptionally(failure -> {
                                log.warn(
                                        "Retention: {} not erased this time ({})",
                                        row.getString("name"),
                                        failure.toString());
                                return 0;
                            }))
                    .runWith(Sink.fold(0, Integer::sum), system);
        }

        /** Erases the person {@code name} stands for if the shopper confirms it is inactive; 1 if it did. */
        private CompletionStage<Integer> expire(String name, Instant cutoff, Instant now) {
            return keys.subjectNamed(name).thenCompose(subject -> {
                if (subject.isEmpty()) return store.forget(name).thenApply(done -> 0); // erased already
                var shopper = shoppers.apply(subject.get());
                return AskPattern.<ShopperCommand, ShopperCommand.ShopperReply>ask(
                                shopper,
                                r -> new ShopperCommand.GetShopper(now, r),
                                settings.askTimeout(),
                                system.scheduler())
                        .thenCompose(reply -> {
                            if (!(reply instanceof ShopperCommand.Found f))
                                return store.forget(name).thenApply(done -> 0);
                            var last = f.summary().activity().lastEventAt();
                            // the table lags the shopper: a later event counts, and is noted for the next sweep
                            if (last != null && !last.isBefore(cutoff))
                                return store.seen(name, last).thenApply(done -> 0);
                            return AskPattern.<ShopperCommand, ShopperCommand.ErasureReply>ask(
                                            shopper,
                                            r -> new ShopperCommand.EraseShopper(ERASED_BY, now, r),
                                            settings.askTimeout(),
                                            system.scheduler())
                                    .thenCompose(erased -> erased instanceof ShopperCommand.ShopperErased
                                            ? store.forget(name).thenApply(done -> 1)
                                            : CompletableFuture.completedFuture(0));
                        });
            });
        }
    }
}
