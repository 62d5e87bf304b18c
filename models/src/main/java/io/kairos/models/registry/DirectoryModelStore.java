package io.kairos.models.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link ModelStore} in a local (or shared network) directory:
 *
 * <pre>
 *   root/NAME/VERSION/metadata.json      the ModelMetadata
 *   root/NAME/VERSION/files/FILE         the artifact's files
 *   root/NAME/promotion.json             {"current": VERSION, "history": [older promoted versions, newest last],
 *                                        "changes": [ModelChange, newest first]}
 *   root/NAME/.runs/START-ID.json        one learning-loop run (TrainingRun), named so that names sort by start
 * </pre>
 *
 * A version directory is written under a temporary name and renamed into place, so readers never see half an artifact;
 * {@code promotion.json} is replaced by an atomic rename for the same reason. Promotion read-modify-writes hold an
 * exclusive file lock on {@code root/NAME/.lock}, so two processes promoting at once do not lose history.
 */
public final class DirectoryModelStore implements ModelStore {
    private static final String METADATA = "metadata.json";
    private static final String FILES = "files";
    private static final String PROMOTION = "promotion.json";
    private static final String RUNS = ".runs";

    /** The promotion pointer file's content ({@code changes} is absent from files written before it was kept). */
    record Promotion(
            @JsonProperty("current") String current,
            @JsonProperty("history") List<String> history,
            @JsonProperty("changes") List<ModelChange> changes) {
        Promotion {
            changes = changes == null ? List.of() : changes;
        }

        /** After {@code change}: {@code current} promoted, {@code history} before it, the change logged first. */
        Promotion then(String current, List<String> history, ModelChange change) {
            return new Promotion(current, history, change.logFirstIn(changes));
        }
    }

    private final Path root;

    public DirectoryModelStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public void save(ModelArtifact artifact) {
        ModelMetadata m = artifact.metadata();
        Path nameDir = root.resolve(m.name());
        Path target = nameDir.resolve(m.version());
        try {
            Files.createDirectories(nameDir);
            if (Files.exists(target)) {
                throw new IllegalStateException("model " + m.name() + " version " + m.version() + " already exists");
            }
            Path tmp = nameDir.resolve(".tmp-" + UUID.randomUUID());
            Files.createDirectories(tmp.resolve(FILES));
            for (var e : artifact.files().entrySet()) {
                Files.write(tmp.resolve(FILES).resolve(e.getKey()), e.getValue());
            }
            Json.mapper().writeValue(tmp.resolve(METADATA).toFile(), m);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model " + m.name() + "/" + m.version(), e);
        }
    }

    @Override
    public ModelArtifact load(String name, String version) {
        Path dir = versionDir(name, version);
        if (!Files.isRegularFile(dir.resolve(METADATA))) {
            throw new NoSuchElementException("no model " + name + " version " + version + " in " + root);
        }
        try {
            ModelMetadata m = Json.mapper().readValue(dir.resolve(METADATA).toFile(), ModelMetadata.class);
            var files = new HashMap<String, byte[]>();
            try (Stream<Path> s = Files.list(dir.resolve(FILES))) {
                for (Path f : s.toList()) {
                    files.put(f.getFileName().toString(), Files.readAllBytes(f));
                }
            }
            return new ModelArtifact(m, files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + name + "/" + version, e);
        }
    }

    @Override
    public List<ModelMetadata> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        var out = new ArrayList<ModelMetadata>();
        try (Stream<Path> names = Files.list(root)) {
            for (Path nameDir : names.filter(Files::isDirectory).toList()) {
                try (Stream<Path> versions = Files.list(nameDir)) {
                    for (Path v : versions.filter(p -> Files.isRegularFile(p.resolve(METADATA)))
                            .toList()) {
                        out.add(Json.mapper().readValue(v.resolve(METADATA).toFile(), ModelMetadata.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list models in " + root, e);
        }
        out.sort(ModelMetadata.LISTING_ORDER);
        return out;
    }

    @Override
    public Optional<String> promoted(String name) {
        return readPromotion(name).map(Promotion::current);
    }

    @Override
    public void promote(String name, String version, String actor) {
        if (!Files.isRegularFile(versionDir(name, version).resolve(METADATA))) {
            throw new NoSuchElementException("no model " + name + " version " + version + " in " + root);
        }
        withLock(name, () -> {
            Optional<Promotion> now = readPromotion(name);
            if (now.isPresent() && version.equals(now.get().current())) {
                return null;
            }
            var history = Settlement.pushed(
                    now.map(Promotion::history).orElse(List.of()),
                    now.map(Promotion::current).orElse(null));
            var change = new ModelChange(
                    Instant.now(),
                    ModelChange.PROMOTE,
                    version,
                    now.map(Promotion::current).orElse(null),
                    actor);
            writePromotion(
                    name, now.orElse(new Promotion(null, List.of(), List.of())).then(version, history, change));
            return null;
        });
    }

    @Override
    public String rollback(String name, String actor) {
        return withLock(name, () -> {
            Promotion now = readPromotion(name)
                    .orElseThrow(() -> new IllegalStateException("model " + name + " has never been promoted"));
            if (now.history().isEmpty()) {
                throw new IllegalStateException("model " + name + " has no earlier promoted version to roll back to");
            }
            var history = new ArrayList<>(now.history());
            String previous = history.remove(history.size() - 1);
            var change = new ModelChange(Instant.now(), ModelChange.ROLLBACK, previous, now.current(), actor);
            writePromotion(name, now.then(previous, history, change));
            return previous;
        });
    }

    @Override
    public boolean settle(String name, String version, boolean keep, String actor) {
        return withLock(name, () -> {
            var now = readPromotion(name).orElse(null);
            var s = now == null
                    ? null
                    : Settlement.of(now.current(), now.history(), now.changes(), version, keep, actor, Instant.now());
            if (s == null) return false;
            writePromotion(name, now.then(s.current(), s.history(), s.change()));
            return true;
        });
    }

    @Override
    public List<ModelChange> changes(String name) {
        return readPromotion(name).map(Promotion::changes).orElse(List.of());
    }

    @Override
    public void recordRun(TrainingRun run) {
        Path dir = root.resolve(ModelMetadata.requireId(run.model(), "name")).resolve(RUNS);
        Path file = dir.resolve(String.format("%019d-%s.json", run.startedAt().toEpochMilli(), run.id()));
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            Json.mapper().writeValue(tmp.toFile(), run);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record run " + run.id() + " of " + run.model(), e);
        }
    }

    @Override
    public List<TrainingRun> runs(String name, int limit) {
        Path dir = root.resolve(ModelMetadata.requireId(name, "name")).resolve(RUNS);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            var out = new ArrayList<TrainingRun>();
            for (Path f : s.filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted(Comparator.reverseOrder())
                    .limit(limit)
                    .toList()) {
                out.add(Json.mapper().readValue(f.toFile(), TrainingRun.class));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runs of " + name, e);
        }
    }

    private Path versionDir(String name, String version) {
        return root.resolve(ModelMetadata.requireId(name, "name")).resolve(ModelMetadata.requireId(version, "version"));
    }

    private Optional<Promotion> readPromotion(String name) {
        Path f = root.resolve(ModelMetadata.requireId(name, "name")).resolve(PROMOTION);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(f.toFile(), Promotion.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    private void writePromotion(String name, Promotion p) {
        Path dir = root.resolve(name);
        Path tmp = dir.resolve(".promotion-" + UUID.randomUUID());
        try {
            Json.mapper().writeValue(tmp.toFile(), p);
            try {
                Files.move(
                        tmp,
                        dir.resolve(PROMOTION),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(PROMOTION), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write promotion of " + name, e);
        }
    }

    // synchronized: a JVM may hold one lock per file, so threads of this process queue here and processes on the file.
    private synchronized <T> T withLock(String name, java.util.function.Supplier<T> action) {
        Path dir = root.resolve(ModelMetadata.requireId(name, "name"));
        try {
            Files.createDirectories(dir);
            try (FileChannel ch =
                    FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock();
                try {
                    return action.get();
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir, e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
