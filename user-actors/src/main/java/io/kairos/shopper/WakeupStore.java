package io.kairos.shopper;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import io.kairos.offer.KairosTables;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Due wake-ups of shoppers in Cassandra ({@code <kairos keyspace>.shopper_wakeups}): the durable half of decision
 * triggers. The shopper records a trigger's due time in its journal ({@code TriggerScheduled}); the shopper projection
 * writes the row here; the {@link WakeupSweeper} of the row's slot wakes the shopper when it is due and deletes the row
 * once the shopper has handled it. So a trigger fires even if its shopper was passivated, its node restarted, or the
 * wake-up was lost in between: a row is deleted only after the shopper answered.
 *
 * <p>Rows are partitioned by (slot, UTC day of the due time), a row never goes into a day before the day it is written
 * (a due time already past is written as due now, in today's partition), and a slot's progress (the first day that may
 * still hold rows) only moves past a day once the day is at least a day old and empty, so a row written late is never
 * skipped. Per-day partitions keep the tombstones of deleted rows out of later days' reads; within a day, a sweep reads
 * from a lower bound ({@link #due}): a row is never due before it was written, so the rows a sweep handled (each
 * deleted, a tombstone) lie below the next sweep's start.
 */
public record WakeupStore(CassandraSession session, String keyspace, int slots) {
    public record Due(int slot, String day, Instant dueAt, String shopperId) {}

    public static WakeupStore create(ActorSystem<?> system) {
        var tables = KairosTables.of(system);
        return new WakeupStore(
                tables.session(), tables.keyspace(), system.settings().config().getInt("kairos.offers.wakeups.slots"));
    }

    public int slotOf(String shopperId) {
        return Math.abs(shopperId.hashCode() % slots);
    }

    static String day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
    }

    /**
     * A wake-up of {@code shopperId} at {@code dueAt}, or now if that is past (the sweeper wakes with its own time).
     */
    public CompletionStage<Done> schedule(String shopperId, Instant dueAt, Instant now) {
        var at = dueAt.isAfter(now) ? dueAt : now;
        return session.executeWrite(
                "INSERT INTO " + keyspace + ".shopper_wakeups (slot, day, due_at, shopper_id) VALUES (?, ?, ?, ?)",
                slotOf(shopperId),
                day(at),
                at,
                shopperId);
    }

    /**
     * The first {@code limit} rows of a slot's day due by {@code now}, from {@code from} on (null: from the day's
     * start). Cassandra reads a slice from its start bound, so the tombstones of rows deleted below it cost nothing.
     */
    public CompletionStage<List<Due>> due(int slot, String day, Instant from, Instant now, int limit) {
        var select = "SELECT due_at, shopper_id FROM " + keyspace + ".shopper_wakeups WHERE slot = ? AND day = ?"
                + (from == null ? "" : " AND due_at >= ?") + " AND due_at <= ? LIMIT ?";
        var rows = from == null
                ? session.selectAll(select, slot, day, now, limit)
                : session.selectAll(select, slot, day, from, now, limit);
        return rows.thenApply(found -> found.stream()
                .map(r -> new Due(slot, day, r.getInstant("due_at"), r.getString("shopper_id")))
                .toList());
    }

    public CompletionStage<Boolean> isEmpty(int slot, String day) {
        return session.selectOne(
                        "SELECT due_at FROM " + keyspace + ".shopper_wakeups WHERE slot = ? AND day = ? LIMIT 1",
                        slot,
                        day)
                .thenApply(Optional::isEmpty);
    }

    public CompletionStage<Done> delete(Due d) {
        return session.executeWrite(
                "DELETE FROM " + keyspace
                        + ".shopper_wakeups WHERE slot = ? AND day = ? AND due_at = ? AND shopper_id = ?",
                d.slot(),
                d.day(),
                d.dueAt(),
                d.shopperId());
    }

    public CompletionStage<Optional<String>> progress(int slot) {
        return session.selectOne("SELECT day FROM " + keyspace + ".wakeup_progress WHERE slot = ?", slot)
                .thenApply(row -> row.map(r -> r.getString("day")));
    }

    public CompletionStage<Done> advance(int slot, String day) {
        return session.executeWrite(
                "INSERT INTO " + keyspace + ".wakeup_progress (slot, day) VALUES (?, ?)", slot, day);
    }
}
