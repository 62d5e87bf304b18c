package io.kairos.bench;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.kairos.devcassandra.CassandraSchema;
import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;
import org.HdrHistogram.Recorder;

/**
 * The reference the ingest rate is compared with: raw asynchronous single-row inserts, as fast as Cassandra takes them
 * with a bounded number in flight, of rows the same size as the journal rows Kairos writes for a behaviour event, into
 * a table with the journal's own DDL, on the same node and with the same consistency.
 *
 * <p>"Same size" means: the rows are copies of real {@code BehaviourRecorded} rows sampled from the node's journal
 * after it has ingested benchmark traffic (a shopper's events are sealed under the person's key, so their type is not
 * readable in the row: every sealed row of a shopper's journal counts, and after ingest nearly all are behaviour
 * events) (same {@code event} blob bytes, manifests, writer id, time bucket and tag set), with only the key changed:
 * persistence ids {@code Shopper|s-NNNNNN} over the same number of shoppers and increasing sequence numbers per
 * shopper, as the journal writes them. One insert per event: the reference pays for neither the {@code tag_views} row,
 * nor the HTTP request, nor the actor that Kairos adds per event.
 */
final class RawInsertReference implements AutoCloseable {
    static final String KEYSPACE = "kairos_bench";
    private static final String BEHAVIOUR_RECORDED = "BehaviourRecorded";
    private static final String SEALED = ".Sealed";

    private final CqlSession session;
    private final List<JournalRow> templates;
    private final PreparedStatement insert;

    /** One sampled journal row: every column the plugin writes for an event without metadata, keys excluded. */
    record JournalRow(
            String persistenceId,
            String timebucket,
            String writerUuid,
            int serId,
            String serManifest,
            String eventManifest,
            ByteBuffer event,
            Set<String> tags) {
        /** Bytes of column values in the row, keys included (what the node stores before its own overhead). */
        int payloadBytes() {
            return utf8(persistenceId)
                    + 8
                    + 8
                    + 16
                    + utf8(timebucket)
                    + utf8(writerUuid)
                    + 4
                    + utf8(serManifest)
                    + utf8(eventManifest)
                    + event.remaining()
                    + tags.stream().mapToInt(RawInsertReference::utf8).sum();
        }
    }

    /** What was sampled from the journal: the templates and the mix of event types among the rows read. */
    record Sample(int rowsRead, Map<String, Long> manifests, double meanEventBytes, double meanPayloadBytes) {}

    /** One measured run. Latencies are of single inserts, from executeAsync to completion. */
    record Result(
            int concurrency,
            double seconds,
            long inserts,
            long errors,
            double insertsPerSecond,
            double p50Ms,
            double p99Ms,
            CpuMeter.Usage cpu,
            JfrProfile.Window window) {}

    private RawInsertReference(CqlSession session, List<JournalRow> templates, PreparedStatement insert) {
        this.session = session;
        this.templates = templates;
        this.insert = insert;
    }

    /**
     * Samples up to {@code sampleRows} journal rows, creates {@code kairos_bench.messages} with the journal's DDL and
     * its keyspace's replication, and prepares the plugin's insert. Throws if the journal holds no behaviour event yet.
     */
    static RawInsertReference prepare(InetSocketAddress contactPoint, String journalKeyspace, int sampleRows) {
        var session = open(contactPoint);
        try {
            var templates = new ArrayList<JournalRow>();
            for (Row row : session.execute(
                    SimpleStatement.newInstance("SELECT persistence_id, timebucket, writer_uuid, ser_id, ser_manifest, "
                                    + "event_manifest, event, tags FROM " + journalKeyspace + ".messages LIMIT "
                                    + sampleRows)
                            .setPageSize(1000))) {
                templates.add(new JournalRow(
                        row.getString("persistence_id"),
                        row.getString("timebucket"),
                        row.getString("writer_uuid"),
                        row.getInt("ser_id"),
                        row.getString("ser_manifest"),
                        row.getString("event_manifest"),
                        row.getByteBuffer("event"),
                        row.getSet("tags", String.class)));
            }
            var replication = session.execute(SimpleStatement.newInstance(
                            "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", journalKeyspace))
                    .one();
            if (replication == null) throw new IllegalStateException("keyspace " + journalKeyspace + " does not exist");
            var schema = SchemaSettings.defaults()
                    .withJournalKeyspace(KEYSPACE)
                    .withReplication(cqlMap(replication.getMap("replication", String.class, String.class)));
            for (var statement : CassandraSchema.statements(schema)) {
                // Only the keyspace and the messages table: the exact DDL the journal was created with, in another
                // keyspace.
                if (statement.startsWith("CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE)
                        || statement.startsWith("CREATE TABLE IF NOT EXISTS " + KEYSPACE + ".messages ")) {
                    session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(30)));
                }
            }
            session.checkSchemaAgreement();
            var insert = session.prepare(
                    "INSERT INTO " + KEYSPACE + ".messages (persistence_id, partition_nr, sequence_nr, timestamp, "
                            + "timebucket, writer_uuid, ser_id, ser_manifest, event_manifest, event, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            return new RawInsertReference(session, templates, insert);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The journal rows read, by event type, and the size of the behaviour-event rows the reference copies. */
    Sample sample() {
        var behaviour = behaviourRows();
        return new Sample(
                templates.size(),
                templates.stream()
                        .collect(Collectors.groupingBy(r -> simpleName(r.serManifest()), Collectors.counting())),
                behaviour.stream()
                        .mapToInt(r -> r.event().remaining())
                        .average()
                        .orElse(0),
                behaviour.stream().mapToInt(JournalRow::payloadBytes).average().orElse(0));
    }

    /**
     * Inserts for {@code warmup}, then measures for {@code duration}: at most {@code concurrency} inserts in flight, a
     * new one issued as soon as one completes. {@code probe} brackets the measured part.
     */
    Result run(int concurrency, int shoppers, Duration warmup, Duration duration, Probe probe)
            throws InterruptedException {
        var rows = behaviourRows();
        if (rows.isEmpty())
            throw new IllegalStateException(
                    "the journal sample holds no " + BEHAVIOUR_RECORDED + " rows (plain or sealed) to copy");
        var sequence = new AtomicLongArray(shoppers);
        blast(rows, sequence, concurrency, warmup, null);
        probe.start();
        var recorder = new Recorder(3);
        var counts = blast(rows, sequence, concurrency, duration, recorder);
        var cpu = probe.end();
        var histogram = recorder.getIntervalHistogram();
        return new Result(
                concurrency,
                counts[2] / 1e9,
                counts[0],
                counts[1],
                counts[0] / (counts[2] / 1e9),
                histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0,
                cpu,
                probe.window());
    }

    /** {ok, errors, nanos from the first issue to the last completion}. */
    private long[] blast(
            List<JournalRow> rows, AtomicLongArray sequence, int concurrency, Duration duration, Recorder recorder)
            throws InterruptedException {
        var permits = new Semaphore(concurrency);
        var ok = new AtomicLong();
        var errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        var random = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            permits.acquire();
            var template = rows.get(random.nextInt(rows.size()));
            int shopper = random.nextInt(sequence.length());
            var bound = insert.bind(
                    String.format(Locale.ROOT, "Shopper|s-%06d", shopper),
                    0L,
                    sequence.incrementAndGet(shopper),
                    Uuids.timeBased(),
                    template.timebucket(),
                    template.writerUuid(),
                    template.serId(),
                    template.serManifest(),
                    template.eventManifest(),
                    template.event().duplicate(),
                    template.tags());
            long issued = System.nanoTime();
            session.executeAsync(bound).whenComplete((rs, failure) -> {
                if (failure == null) {
                    ok.incrementAndGet();
                    if (recorder != null) recorder.recordValue((System.nanoTime() - issued) / 1000);
                } else {
                    errors.incrementAndGet();
                }
                permits.release();
            });
        }
        permits.acquire(concurrency);
        return new long[] {ok.get(), errors.get(), System.nanoTime() - start};
    }

    private List<JournalRow> behaviourRows() {
        return templates.stream()
                .filter(r -> r.serManifest() != null
                        && (r.serManifest().endsWith(BEHAVIOUR_RECORDED)
                                || (r.serManifest().endsWith(SEALED)
                                        && r.persistenceId().startsWith("Shopper|"))))
                .toList();
    }

    /**
     * Empties the reference table (Cassandra flushes, then discards it). Called after each reference run: rows left in
     * a memtable would count against the memtable space the journal writes into, and a step would pay for flushing the
     * reference's data (seen here: a 5.7 s flush of that table in the first step after the reference).
     */
    void truncate() {
        session.execute(SimpleStatement.newInstance("TRUNCATE " + KEYSPACE + ".messages")
                .setTimeout(Duration.ofSeconds(120)));
    }

    /** Drops the reference table, so a node that is reused does not keep the benchmark's rows. */
    void dropTable() {
        session.execute(SimpleStatement.newInstance("DROP TABLE IF EXISTS " + KEYSPACE + ".messages")
                .setTimeout(Duration.ofSeconds(60)));
    }

    @Override
    public void close() {
        session.close();
    }

    /** The driver configured as the node's journal uses it: protocol v5, QUORUM, idempotent writes, 5 s timeout. */
    static CqlSession open(InetSocketAddress contactPoint) {
        var options = OptionsMap.driverDefaults();
        options.put(TypedDriverOption.SESSION_NAME, "kairos-bench-raw");
        options.put(TypedDriverOption.PROTOCOL_VERSION, ProtocolVersion.V5.name());
        options.put(TypedDriverOption.LOAD_BALANCING_LOCAL_DATACENTER, "datacenter1");
        options.put(TypedDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(5));
        options.put(TypedDriverOption.REQUEST_CONSISTENCY, ConsistencyLevel.QUORUM.name());
        options.put(TypedDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, true);
        return CqlSession.builder()
                .addContactPoint(contactPoint)
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(DriverConfigLoader.fromMap(options))
                .build();
    }

    private static String cqlMap(Map<String, String> map) {
        return map.entrySet().stream()
                .map(e -> "'" + e.getKey() + "': '" + e.getValue() + "'")
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String simpleName(String manifest) {
        if (manifest == null) return "?";
        int cut = Math.max(manifest.lastIndexOf('.'), manifest.lastIndexOf('$'));
        return manifest.substring(cut + 1);
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
