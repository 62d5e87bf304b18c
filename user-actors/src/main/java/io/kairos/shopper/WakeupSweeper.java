package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.kairos.privacy.PersonKeys;
import io.kairos.serialization.CborSerializable;
import io.kairos.time.NodeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes shoppers whose triggers are due: one sweeper per slot of {@link WakeupStore}, run as a
 * {@code ShardedDaemonProcess} (so each slot is swept by exactly one node, and moves when nodes leave). Every
 * {@code sweep-interval} it reads the slot's due rows from its progress day to today, asks each shopper to
 * {@link ShopperCommand.Wake} (a few at a time), deletes a row once its shopper answered, and moves the slot's progress
 * past days that are over and empty. A shopper that does not answer keeps its row and is woken again on the next sweep;
 * the shopper fires a trigger at most once, so repeated wake-ups are harmless.
 *
 * <p>Each deleted row leaves a tombstone in its day's partition, and a read from the day's start would scan all of them
 * (Cassandra warns at 1,000 and fails the read at 100,000). So a sweep reads each day from a floor: what the sweep
 * before it had not handled (a row whose shopper did not answer, the rest of a full batch), or else that sweep's time
 * less {@code clock-skew} (a row is written due no earlier than its writer's now, {@link WakeupStore#schedule}). Every
 * {@code full-sweep-every} a sweep reads whole days again, in case a writer's clock was further behind.
 */
public final class WakeupSweeper {
    private static final Logger log = LoggerFactory.getLogger(WakeupSweeper.class);

    public sealed interface Command extends CborSerializable {}

    record Tick() implements Command {}

    record Swept(int woken, String failure) implements Command {}

    /** The {@code kairos.offers.wakeups} settings. */
    public record Settings(
            int slots,
            Duration sweepInterval,
            int batch,
            Duration wakeTimeout,
            Duration initialLookback,
            Duration clockSkew,
            Duration fullSweepEvery) {
        public static Settings create(ActorSystem<?> system) {
            var c = system.settings().config().getConfig("kairos.offers.wakeups");
            return new Settings(
                    c.getInt("slots"),
                    c.getDuration("sweep-interval"),
                    c.getInt("batch"),
                    c.getDuration("wake-timeout"),
                    c.getDuration("initial-lookback"),
                    c.getDuration("clock-skew"),
                    c.getDuration("full-sweep-every"));
        }
    }

    private WakeupSweeper() {}

    public static void init(ActorSystem<?> system, WakeupStore store) {
        var settings = Settings.create(system);
        var sharding = ClusterSharding.get(system);
        Function<String, RecipientRef<ShopperCommand>> shoppers =
                id -> sharding.entityRefFor(ShopperEntity.ENTITY_KEY, id);
        var keys = PersonKeys.get(system);
        ShardedDaemonProcess.get(system)
                .init(
                        Command.class,
                        "shopper-wakeups",
                        store.slots(),
                        slot -> create(
                                slot,
                                store,
                                keys::subjectNamed,
                                shoppers,
                                settings,
                                NodeClock.get(system).clock()));
    }

    /**
     * {@code subjects}: the shopper a wake-up's name stands for, empty once erased ({@link PersonKeys#subjectNamed}).
     */
    public static Behavior<Command> create(
            int slot,
            WakeupStore store,
            Function<String, CompletionStage<Optional<String>>> subjects,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            Settings settings,
            Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Tick(), NodeClock.timerDelay(clock, settings.sweepInterval()));
            var system = ctx.getSystem();
            var sweep = new Sweep(slot, store, subjects, shoppers, settings, system);
            return idle(ctx.getSelf(), sweep, clock);
        }));
    }

    private static Behavior<Command> idle(akka.actor.typed.ActorRef<Command> self, Sweep sweep, Clock clock) {
        return Behaviors.receive(Command.class)
                .onMessage(
                        Tick.class,
                        t -> Behaviors.setup(ctx -> {
                            ctx.pipeToSelf(
                                    sweep.run(clock.instant()),
                                    (woken, failure) -> new Swept(
                                            woken == null ? 0 : woken, failure == null ? null : failure.toString()));
                            return sweeping(self, sweep, clock);
                        }))
                .onMessage(Swept.class, s -> Behaviors.same())
                .build();
    }

    private static Behavior<Command> sweeping(akka.actor.typed.ActorRef<Command> self, Sweep sweep, Clock clock) {
        return Behaviors.receive(Command.class)
                .onMessage(Tick.class, t -> Behaviors.same()) // one sweep at a time
                .onMessage(Swept.class, s -> {
                    if (s.failure() != null) log.warn("Wake-up sweep of slot {} failed: {}", sweep.slot, s.failure());
                    else if (s.woken() > 0)
                        log.debug("Wake-up sweep of slot {} woke {} shoppers", sweep.slot, s.woken());
                    return idle(self, sweep, clock);
                })
                .build();
    }

    /**
     * Where the next read of a day starts after a sweep at {@code now} read {@code rows} (at most {@code batch}) and
     * could not wake {@code failed}: below it, only rows handled and deleted. A row is written due no earlier than its
     * writer's now, so rows written after this sweep are due after {@code now - clockSkew}; a full batch leaves rows
     * from its last due time on; a row kept for the next sweep stays above it.
     */
    static Instant nextFloor(
            Instant now, Duration clockSkew, List<WakeupStore.Due> rows, int batch, List<WakeupStore.Due> failed) {
        var floor = now.minus(clockSkew);
        if (!rows.isEmpty() && rows.size() >= batch)
            floor = min(floor, rows.get(rows.size() - 1).dueAt());
        for (var row : failed) floor = min(floor, row.dueAt());
        return floor;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** One sweep of one slot. */
    private static final class Sweep {
        final int slot;
        private final WakeupStore store;
        private final Function<String, CompletionStage<Optional<String>>> subjects;
        private final Function<String, RecipientRef<ShopperCommand>> shoppers;
        private final Settings settings;
        private final ActorSystem<?> system;
        /** Per day, where its next read starts (absent: at the day's start). One sweep runs at a time. */
        private final Map<String, Instant> floors = new ConcurrentHashMap<>();

        private Instant lastFullSweep;

        Sweep(
                int slot,
                WakeupStore store,
                Function<String, CompletionStage<Optional<String>>> subjects,
                Function<String, RecipientRef<ShopperCommand>> shoppers,
                Settings settings,
                ActorSystem<?> system) {
            this.slot = slot;
            this.store = store;
            this.subjects = subjects;
            this.shoppers = shoppers;
            this.settings = settings;
            this.system = system;
        }

        CompletionStage<Integer> run(Instant now) {
            if (lastFullSweep == null || !now.isBefore(lastFullSweep.plus(settings.fullSweepEvery()))) {
                floors.clear();
                lastFullSweep = now;
            }
            var today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            return store.progress(slot).thenCompose(progress -> {
                var first = progress.map(LocalDate::parse)
                        .orElse(LocalDate.ofInstant(now.minus(settings.initialLookback()), ZoneOffset.UTC));
                var days = first.datesUntil(today.plusDays(1)).toList();
                floors.keySet().retainAll(days.stream().map(LocalDate::toString).toList());
                return Source.from(days)
                        .mapAsync(1, day -> sweepDay(day.toString(), now))
                        .runWith(Sink.fold(0, Integer::sum), system)
                        .thenCompose(woken -> advance(days, today).thenApply(done -> woken));
            });
        }

        private CompletionStage<Integer> sweepDay(String day, Instant now) {
            var from = floors.get(day);
            return store.due(slot, day, from, now, settings.batch()).thenCompose(rows -> {
                var failed = new java.util.concurrent.ConcurrentLinkedQueue<WakeupStore.Due>();
                return wake(rows, now, failed::add).thenApply(woken -> {
                    floors.put(day, nextFloor(now, settings.clockSkew(), rows, settings.batch(), List.copyOf(failed)));
                    return woken;
                });
            });
        }

        /** Wakes each row's shopper and deletes the row once it answered; {@code failed} gets the rows kept. */
        private CompletionStage<Integer> wake(
                List<WakeupStore.Due> rows, Instant now, java.util.function.Consumer<WakeupStore.Due> failed) {
            return Source.from(rows)
                    .mapAsyncUnordered(4, row -> subjects.apply(row.shopperId())
                            .thenCompose(subject -> subject.isEmpty()
                                    ? CompletableFuture.completedFuture(null) // erased: nobody to wake
                                    : AskPattern.<ShopperCommand, ShopperCommand.Woken>ask(
                                            shoppers.apply(subject.get()),
                                            r -> new ShopperCommand.Wake(now, r),
                                            settings.wakeTimeout(),
                                            system.scheduler()))
                            .thenCompose(woken -> store.delete(row))
                            .thenApply(done -> 1)
                            .exceptionally(failure -> {
                                log.debug(
                                        "Shopper {} did not answer its wake-up ({}); retrying on the next sweep",
                                        row.shopperId(),
                                        failure.toString());
                                failed.accept(row);
                                return 0;
                            }))
                    .runWith(Sink.fold(0, Integer::sum), system);
        }

        /**
         * Moves the progress past days that are over (before yesterday) and empty, stopping at the first that is not.
         */
        private CompletionStage<Void> advance(List<LocalDate> days, LocalDate today) {
            CompletionStage<Boolean> chain = CompletableFuture.completedFuture(true);
            for (var day : days) {
                if (!day.isBefore(today.minusDays(1))) break;
                chain = chain.thenCompose(stillAdvancing -> !stillAdvancing
                        ? CompletableFuture.completedFuture(false)
                        : store.isEmpty(slot, day.toString())
                                .thenCompose(empty -> empty
                                        ? store.advance(slot, day.plusDays(1).toString())
                                                .thenApply(done -> true)
                                        : CompletableFuture.completedFuture(false)));
            }
            return chain.thenApply(done -> null);
        }
    }
}
