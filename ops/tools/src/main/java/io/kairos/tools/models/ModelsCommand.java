package io.kairos.tools.models;

import io.kairos.models.registry.ModelCodec;
import io.kairos.models.registry.ModelMetadata;
import io.kairos.models.registry.ModelStore;
import io.kairos.models.uplift.OnnxUpliftScorer;
import io.kairos.models.uplift.UpliftImport;
import io.kairos.tools.CommandGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code models list|import|promote|rollback}: inspect the model store, bring models in, choose what nodes serve. */
@Command(
        name = "models",
        description = "List, import, promote and roll back stored models.",
        subcommands = {
            ModelsCommand.ListModels.class,
            ModelsCommand.Import.class,
            ModelsCommand.Promote.class,
            ModelsCommand.Rollback.class
        })
final class ModelsCommand extends CommandGroup {
    ModelsCommand() {
        super("name a subcommand: list, import, promote or rollback");
    }

    @Command(
            name = "import",
            description = "Store an uplift model trained elsewhere (ONNX) as a new version, after scoring a sample of"
                    + " rows built from its schema through DJL's ONNX Runtime engine.")
    static final class Import extends ToolCommand {
        @Mixin
        TrainCommand.Common common;

        @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The ONNX graph.")
        Path onnx;

        @Option(
                names = "--schema",
                required = true,
                paramLabel = "FILE",
                description = "JSON: shopper and offer feature schemas, response output (and column), value output.")
        Path schema;

        @Option(names = "--rows", paramLabel = "N", description = "Rows it was trained on, for the record.")
        long rows;

        @Override
        int run() throws IOException {
            if (common.name == null) throw new IllegalArgumentException("--name is required");
            String name = common.nameOr(null);
            byte[] graph = Files.readAllBytes(onnx);
            var schemaFile = UpliftImport.SchemaFile.parse(Files.readAllBytes(schema));
            progress("scoring " + UpliftImport.SAMPLE_ROWS + " sample rows through DJL (" + OnnxUpliftScorer.ENGINE
                    + ")");
            var report = UpliftImport.validate(graph, schemaFile, 1);
            try (var opened = common.store.open()) {
                ModelStore s = opened.store();
                String version = common.nextVersion(s, name);
                var artifact = ModelCodec.importedUplift(
                        name,
                        version,
                        graph,
                        schemaFile.shopper(),
                        schemaFile.offer(),
                        schemaFile.outputs(),
                        Instant.now(),
                        common.window(onnx, rows),
                        report.metrics(),
                        Map.of("source", onnx.getFileName().toString(), "sampleRows", Integer.toString(report.rows())));
                s.save(artifact);
                if (common.promote) s.promote(name, version, StoreOption.actor());
                if (json) {
                    var o = new LinkedHashMap<String, Object>();
                    o.put("name", name);
                    o.put("version", version);
                    o.put("engine", OnnxUpliftScorer.ENGINE);
                    o.put("promoted", common.promote);
                    o.put("sample", report);
                    printJson(o);
                } else {
                    out().printf(
                                    "stored %s version %s (imported ONNX, %d sample rows: response %.4f..%.4f, mean %.4f)%s in"
                                            + " %s%n",
                                    name,
                                    version,
                                    report.rows(),
                                    report.minResponse(),
                                    report.maxResponse(),
                                    report.meanResponse(),
                                    common.promote ? ", promoted" : "",
                                    opened.description());
                    out().flush();
                }
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List stored model versions.")
    static final class ListModels extends ToolCommand {
        @Mixin
        StoreOption store;

        @Override
        int run() {
            try (var opened = store.open()) {
                ModelStore s = opened.store();
                List<ModelMetadata> all = s.list();
                var promoted = new LinkedHashMap<String, String>();
                all.forEach(m ->
                        promoted.computeIfAbsent(m.name(), n -> s.promoted(n).orElse(null)));
                if (json) {
                    var models = new ArrayList<Map<String, Object>>();
                    for (ModelMetadata m : all) {
                        var o = new LinkedHashMap<String, Object>();
                        o.put("name", m.name());
                        o.put("version", m.version());
                        o.put("kind", m.kind().name());
                        o.put("promoted", m.version().equals(promoted.get(m.name())));
                        o.put("createdAt", m.createdAt().toString());
                        o.put("training", m.training());
                        o.put("metrics", m.metrics());
                        models.add(o);
                    }
                    printJson(Map.of("models", models));
                } else {
                    if (all.isEmpty()) {
                        out().println("no models in " + opened.description());
                    }
                    for (ModelMetadata m : all) {
                        boolean isPromoted = m.version().equals(promoted.get(m.name()));
                        out().printf(
                                        "%s %-20s %-8s %-9s %s rows=%d %s%n",
                                        isPromoted ? "*" : " ",
                                        m.name(),
                                        m.version(),
                                        m.kind(),
                                        m.createdAt(),
                                        m.training().rows(),
                                        new java.util.TreeMap<>(m.metrics()));
                    }
                    out().flush();
                }
                return 0;
            }
        }
    }

    /** Changes which version of model NAME nodes serve, then reports the new and the previous version. */
    abstract static class PromotionCommand extends ToolCommand {
        @Mixin
        StoreOption store;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        /** Promotes another stored version of {@link #name}; returns it. */
        abstract String promote(ModelStore s);

        @Override
        final int run() {
            try (var opened = store.open()) {
                ModelStore s = opened.store();
                String previous = s.promoted(name).orElse(null);
                String version = promote(s);
                report(version, previous);
                return 0;
            }
        }

        private void report(String version, String previous) {
            if (json) {
                var o = new LinkedHashMap<String, Object>();
                o.put("name", name);
                o.put("version", version);
                o.put("previous", previous);
                printJson(o);
            } else {
                out().printf("%s: promoted version %s (was %s)%n", name, version, previous == null ? "none" : previous);
                out().flush();
            }
        }
    }

    @Command(
            name = "promote",
            description = "Make VERSION the promoted version of NAME (nodes switch to it without restart).")
    static final class Promote extends PromotionCommand {
        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        @Override
        String promote(ModelStore s) {
            // A version a node could not load is never promoted: decode it here, as a node will.
            var model = ModelCodec.decode(s.load(name, version));
            if (model instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            s.promote(name, version, StoreOption.actor());
            return version;
        }
    }

    @Command(name = "rollback", description = "Return NAME to the version promoted before the current one.")
    static final class Rollback extends PromotionCommand {
        @Override
        String promote(ModelStore s) {
            return s.rollback(name, StoreOption.actor());
        }
    }
}
