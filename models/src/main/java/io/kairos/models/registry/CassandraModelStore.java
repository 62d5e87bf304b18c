package io.kairos.models.registry;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A {@link ModelStore} in Cassandra (tables {@code model_versions}, {@code model_promotions} and {@code model_runs} of
 * Kairos's keyspace, created from {@code ops/cassandra/04-models.cql}), so every node of a cluster serves from the same
 * store.
 *
 * <p>A version is written once with {@code INSERT … IF NOT EXISTS}: saving an existing (name, version) fails, and a
 * reader sees a whole row or none. Promotion and rollback are compare-and-set on the promotion row's {@code revision};
 * a lost race is retried on the fresh row, so concurrent promotions serialise and history is never lost. Reads are at
 * the session's default consistency; the LWTs use SERIAL. The session belongs to the caller.
 */
public final class CassandraModelStore implements ModelStore {
    private static final int MAX_RETRIES = 20;

    private final CqlSession session;
    private final PreparedStatement insertVersion;
    private final PreparedStatement selectVersion;
    private final PreparedStatement selectAllMetadata;
    private final PreparedStatement selectVersionExists;
    private final PreparedStatement selectPromotion;
    private final PreparedStatement insertPromotion;
    private final PreparedStatement updatePromotion;
    private final String keyspace;
    // Prepared on first use: a keyspace created before model_runs existed still serves models (the runs need
    // `./kairos schema` to add the table).
    private volatile PreparedStatement insertRun;
    private volatile PreparedStatement selectRuns;

    public CassandraModelStore(CqlSession session, String keyspace) {
        this.session = session;
        ModelMetadata.requireId(keyspace, "keyspace");
        insertVersion = session.prepare(
                "INSERT INTO " + keyspace + ".model_versions (name, version, created_at, metadata, files) "
                        + "VALUES (?, ?, ?, ?, ?) IF NOT EXISTS");
        selectVersion = session.prepare(
                "SELECT metadata, files FROM " + keyspace + ".model_versions WHERE name = ? AND version = ?");
        selectVersionExists =
                session.prepare("SELECT version FROM " + keyspace + ".model_versions WHERE name = ? AND version = ?");
        selectAllMetadata = session.prepare("SELECT metadata FROM " + keyspace + ".model_versions");
        selectPromotion = session.prepare(
                "SELECT current, history, changes, revision FROM " + keyspace + ".model_promotions WHERE name = ?");
        insertPromotion = session.prepare("INSERT INTO " + keyspace
                + ".model_promotions (name, current, history, changes, revision) VALUES (?, ?, ?, ?, 1) IF NOT EXISTS");
        updatePromotion = session.prepare(
                "UPDATE " + keyspace
                        + ".model_promotions SET current = ?, history = ?, changes = ?, revision = ? WHERE name = ? IF revision = ?");
        this.keyspace = keyspace;
    }

    @Override
    public void recordRun(TrainingRun run) {
        try {
            if (insertRun == null)
                insertRun = session.prepare(
                        "INSERT INTO " + keyspace + ".model_runs (name, started_at, id, run) VALUES (?, ?, ?, ?)");
            session.execute(insertRun.bind(
                    run.model(), run.startedAt(), run.id(), Json.mapper().writeValueAsString(run)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<TrainingRun> runs(String name, int limit) {
        if (selectRuns == null)
            selectRuns = session.prepare("SELECT run FROM " + keyspace + ".model_runs WHERE name = ? LIMIT ?");
        var out = new ArrayList<TrainingRun>();
        for (var row : session.execute(selectRuns.bind(name, limit))) {
            try {
                out.add(Json.mapper().readValue(row.getString("run"), TrainingRun.class));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable training run of " + name, e);
            }
        }
        return out;
    }

    @Override
    public void save(ModelArtifact artifact) {
        var m = artifact.metadata();
        var files = new HashMap<String, ByteBuffer>();
        artifact.files().forEach((k, v) -> files.put(k, ByteBuffer.wrap(v)));
        String metadata;
        try {
            metadata = Json.mapper().writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var applied = session.execute(insertVersion.bind(m.name(), m.version(), m.createdAt(), metadata, files))
                .wasApplied();
        if (!applied)
            throw new IllegalStateException("model " + m.name() + " version " + m.version() + " already exists");
    }

    @Override
    public ModelArtifact load(String name, String version) {
        var row = session.execute(selectVersion.bind(name, version)).one();
        if (row == null) throw new NoSuchElementException("no model " + name + " version " + version + " in Cassandra");
        var files = new HashMap<String, byte[]>();
        row.getMap("files", String.class, ByteBuffer.class).forEach((k, v) -> {
            var bytes = new byte[v.remaining()];
            v.duplicate().get(bytes);
            files.put(k, bytes);
        });
        return new ModelArtifact(metadata(row), files);
    }

    @Override
    public List<ModelMetadata> list() {
        var out = new ArrayList<ModelMetadata>();
        for (var row : session.execute(selectAllMetadata.bind())) out.add(metadata(row));
        out.sort(ModelMetadata.LISTING_ORDER);
        return out;
    }

    @Override
    public Optional<String> promoted(String name) {
        return Optional.ofNullable(session.execute(selectPromotion.bind(name)).one())
                .map(r -> r.getString("current"));
    }

    @Override
    public void promote(String name, String version, String actor) {
        if (session.execute(selectVersionExists.bind(name, version)).one() == null) {
            throw new NoSuchElementException("no model " + name + " version " + version + " in Cassandra");
        }
        update(name, current -> {
            if (current == null)
                return new Promotion(null, List.of(), List.of())
                        .then(version, List.of(), ModelChange.PROMOTE, version, null, actor);
            if (version.equals(current.current())) return current;
            return current.then(
                    version,
                    Settlement.pushed(current.history(), current.current()),
                    ModelChange.PROMOTE,
                    version,
                    current.current(),
                    actor);
        });
    }

    @Override
    public String rollback(String name, String actor) {
        return update(name, current -> {
                    if (current == null) throw new IllegalStateException("model " + name + " has never been promoted");
                    if (current.history().isEmpty())
                        throw new IllegalStateException(
                                "model " + name + " has no earlier promoted version to roll back to");
                    var history = new ArrayList<>(current.history());
                    var previous = history.remove(history.size() - 1);
                    return current.then(previous, history, ModelChange.ROLLBACK, previous, current.current(), actor);
                })
                .current();
    }

    @Override
    public boolean settle(String name, String version, boolean keep, String actor) {
        var settled = new boolean[1];
        update(name, current -> {
            var s = current == null
                    ? null
                    : Settlement.of(
                            current.current(),
                            current.history(),
                            current.changes(),
                            version,
                            keep,
                            actor,
                            Instant.now());
            settled[0] = s != null;
            return s == null
                    ? current
                    : new Promotion(s.current(), s.history(), s.change().logFirstIn(current.changes()));
        });
        return settled[0];
    }

    @Override
    public List<ModelChange> changes(String name) {
        var row = session.execute(selectPromotion.bind(name)).one();
        return row == null ? List.of() : promotion(row).changes();
    }

    /** A promotion row: {@code changes} holds each {@link ModelChange} as JSON, newest first. */
    private record Promotion(String current, List<String> history, List<ModelChange> changes) {
        Promotion then(
                String next, List<String> nextHistory, String action, String version, String previous, String actor) {
            var change = new ModelChange(Instant.now(), action, version, previous, actor);
            return new Promotion(next, nextHistory, change.logFirstIn(changes));
        }

        List<String> changesJson() {
            return changes.stream().map(CassandraModelStore::json).toList();
        }
    }

    private static Promotion promotion(Row row) {
        var changes = row.getList("changes", String.class).stream()
                .map(CassandraModelStore::change)
                .toList();
        return new Promotion(row.getString("current"), row.getList("history", String.class), changes);
    }

    private static String json(ModelChange change) {
        try {
            return Json.mapper().writeValueAsString(change);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModelChange change(String json) {
        try {
            return Json.mapper().readValue(json, ModelChange.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable model change", e);
        }
    }

    /** Compare-and-set loop on the promotion row: read, compute, write if nobody wrote in between, else retry. */
    private Promotion update(String name, UnaryOperator<Promotion> change) {
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            var row = session.execute(selectPromotion.bind(name)).one();
            var current = row == null ? null : promotion(row);
            var next = change.apply(current);
            if (next.equals(current)) return next;
            boolean applied = row == null
                    ? session.execute(insertPromotion.bind(name, next.current(), next.history(), next.changesJson()))
                            .wasApplied()
                    : session.execute(updatePromotion.bind(
                                    next.current(),
                                    next.history(),
                                    next.changesJson(),
                                    row.getLong("revision") + 1,
                                    name,
                                    row.getLong("revision")))
                            .wasApplied();
            if (applied) return next;
        }
        throw new IllegalStateException("promotion of " + name + " kept conflicting with concurrent promotions; retry");
    }

    private static ModelMetadata metadata(Row row) {
        try {
            return Json.mapper().readValue(row.getString("metadata"), ModelMetadata.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable model metadata", e);
        }
    }

    /** For tests and tools: a copy of every promotion row as name → current version. */
    Map<String, String> promotions() {
        var out = new HashMap<String, String>();
        for (var m : list()) promoted(m.name()).ifPresent(v -> out.put(m.name(), v));
        return out;
    }
}
