package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;

/**
 * Per person, how many behaviour events fell in each UTC hour of the day ({@code <kairos keyspace>.dispatch_active_hours},
 * Cassandra counters written by the dispatch projection): the hour a shopper is most likely to look is the fullest
 * bucket. Counters are not idempotent: an envelope the projection replays after a crash counts again. That skews a
 * histogram by a few events, which is acceptable for picking an hour (it is no ledger).
 */
public final class ActiveHours {
  private final CassandraSession session;
  private final String keyspace;

  public ActiveHours(CassandraSession session, String keyspace) {
    this.session = session;
    this.keyspace = keyspace;
  }

  public static ActiveHours create(ActorSystem<?> system) {
    return new ActiveHours(CassandraSessionRegistry.get(system).sessionFor("akka.persistence.cassandra"),
        system.settings().config().getString("kairos.offers.cassandra.keyspace"));
  }

  public CompletionStage<Done> record(String personId, Instant occurredAt) {
    return session.executeWrite("UPDATE " + keyspace + ".dispatch_active_hours SET events = events + 1 WHERE person_id = ? AND hour = ?",
        personId, occurredAt.atZone(ZoneOffset.UTC).getHour());
  }

  /** The UTC hour with most events, once the person has at least {@code minEvents}; else empty. */
  public CompletionStage<OptionalInt> peakUtcHour(String personId, int minEvents) {
    return session.selectAll("SELECT hour, events FROM " + keyspace + ".dispatch_active_hours WHERE person_id = ?", personId)
        .thenApply(rows -> {
          long total = 0;
          long best = -1;
          int hour = -1;
          for (var r : rows) {
            long n = r.getLong("events");
            total += n;
            if (n > best) {
              best = n;
              hour = r.getInt("hour");
            }
          }
          return total >= minEvents && hour >= 0 ? OptionalInt.of(hour) : OptionalInt.empty();
        });
  }
}
