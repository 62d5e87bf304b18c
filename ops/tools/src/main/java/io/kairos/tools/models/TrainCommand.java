package io.kairos.tools.models;

import io.kairos.models.demand.ElasticityFitter;
import io.kairos.models.features.SchemaInference;
import io.kairos.models.lifecycle.BgNbdFitter;
import io.kairos.models.registry.ModelArtifact;
import io.kairos.models.registry.ModelCodec;
import io.kairos.models.registry.ModelMetadata;
import io.kairos.models.registry.ModelStore;
import io.kairos.models.registry.TrainingWindow;
import io.kairos.models.uplift.UpliftEvaluation;
import io.kairos.models.uplift.UpliftModel;
import io.kairos.models.uplift.UpliftTrainer;
import io.kairos.tools.CommandGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train uplift|bgnbd|elasticity}: fit a model and store it as a new version in the registry. */
@Command(
        name = "train",
        description = "Train a model and store it as a new version in the model store.",
        subcommands = {TrainCommand.Uplift.class, TrainCommand.BgNbd.class, TrainCommand.Elasticity.class})
final class TrainCommand extends CommandGroup {
    TrainCommand() {
        super("name what to train: uplift, bgnbd or elasticity");
    }

    /** Options every train subcommand has. */
    static final class Common {
        @Mixin
        StoreOption store;

        @Option(names = "--name", paramLabel = "NAME", description = "Model name.")
        String name;

        @Option(names = "--version", paramLabel = "V", description = "Version (default: next integer for the name).")
        String version;

        @Option(names = "--data-from", paramLabel = "YYYY-MM-DD", description = "Start of the training data window.")
        LocalDate dataFrom;

        @Option(names = "--data-to", paramLabel = "YYYY-MM-DD", description = "End of the training data window.")
        LocalDate dataTo;

        @Option(names = "--promote", description = "Promote the new version right away.")
        boolean promote;

        String nameOr(String defaultName) {
            return ModelMetadata.requireId(name == null ? defaultName : name, "name");
        }

        String nextVersion(ModelStore s, String modelName) {
            return version != null ? ModelMetadata.requireId(version, "version") : s.nextVersion(modelName);
        }

        TrainingWindow window(Path source, long rows) {
            return new TrainingWindow(
                    source.toAbsolutePath().normalize().toString(),
                    dataFrom == null ? null : dataFrom.atStartOfDay().toInstant(ZoneOffset.UTC),
                    dataTo == null ? null : dataTo.atStartOfDay().toInstant(ZoneOffset.UTC),
                    rows);
        }
    }

    /**
     * A train subcommand: fits one model, stores it as a new version (promoted right away with {@code --promote}) and
     * reports what it stored.
     */
    abstract static class Subcommand extends ToolCommand {
        @Mixin
        Common common;

        /** Fits the model and packs it as the artifact to store, named and versioned through {@link #common}. */
        abstract ModelArtifact train(ModelStore store) throws IOException;

        @Override
        final int run() throws IOException {
            try (var opened = common.store.open()) {
                ModelStore s = opened.store();
                ModelArtifact artifact = train(s);
                s.save(artifact);
                ModelMetadata m = artifact.metadata();
                if (common.promote) {
                    s.promote(m.name(), m.version(), StoreOption.actor());
                }
                report(m, opened.description());
                return 0;
            }
        }

        private void report(ModelMetadata m, String storeDescription) {
            if (json) {
                var o = new LinkedHashMap<String, Object>();
                o.put("name", m.name());
                o.put("version", m.version());
                o.put("kind", m.kind().name());
                o.put("promoted", common.promote);
                o.put("metrics", m.metrics());
                o.put("store", storeDescription);
                printJson(o);
            } else {
                out().printf(
                                "stored %s version %s (%s)%s in %s%n",
                                m.name(), m.version(), m.kind(), common.promote ? ", promoted" : "", storeDescription);
                new TreeMap<>(m.metrics()).forEach((k, v) -> out().printf("  %-14s %.4f%n", k, v));
                out().flush();
            }
        }
    }

    /**
     * {@code train uplift}: measures the model on a held-out share of the experiment, then refits on every row and
     * stores that model with the held-out figures as its metrics.
     */
    @Command(
            name = "uplift",
            description = "Measure on a held-out share, then refit on every row of the experiment and store the model.")
    static final class Uplift extends Subcommand {
        @Mixin
        UpliftOptions uplift;

        @Option(names = "--value-col", paramLabel = "C", description = "Order value column (trains the value model).")
        String valueCol;

        @Option(
                names = "--holdout",
                defaultValue = "0.3",
                description = "Share held out to measure the recorded metrics (default ${DEFAULT-VALUE}).")
        double holdout;

        @Override
        ModelArtifact train(ModelStore s) throws IOException {
            String name = common.nameOr("offer-uplift");
            String version = common.nextVersion(s, name);
            var settings = new UpliftEvaluation.Settings(
                    uplift.csv,
                    null,
                    uplift.columns(valueCol),
                    holdout,
                    uplift.seed,
                    null,
                    uplift.design,
                    uplift.params());
            UpliftEvaluation.Outcome eval = new UpliftEvaluation(this::progress).run(settings);
            progress("refitting on all " + eval.rows().examples().size() + " rows");
            var trainer = new UpliftTrainer(this::progress);
            var trainerSettings = new UpliftTrainer.Settings(
                    eval.rows().features(),
                    List.of(),
                    uplift.design,
                    uplift.params(),
                    SchemaInference.DEFAULT_MAX_CATEGORIES);
            UpliftModel model = trainer.train(eval.rows().examples(), trainerSettings, name, version);
            var r = eval.result();
            Map<String, Double> metrics = Map.of(
                    "upliftAt10",
                    r.upliftAt10(),
                    "upliftAt20",
                    r.upliftAt20(),
                    "upliftAt30",
                    r.upliftAt30(),
                    "qini",
                    r.qini(),
                    "auuc",
                    r.auuc());
            Map<String, String> props = Map.of(
                    "design",
                    uplift.design.name(),
                    "params",
                    uplift.params().toString(),
                    "treatment",
                    uplift.treatmentCol + "=" + uplift.treatment + " vs " + uplift.control,
                    "outcome",
                    uplift.outcome,
                    "metricsOn",
                    "holdout share " + holdout + " of a seeded split");
            return ModelCodec.uplift(
                    model,
                    Instant.now(),
                    common.window(uplift.csv, eval.rows().examples().size()),
                    metrics,
                    props);
        }
    }

    /** {@code train bgnbd}: fits BG/NBD to a shopper summary and stores it as the lifecycle model. */
    @Command(name = "bgnbd", description = "Fit BG/NBD and store it.")
    static final class BgNbd extends Subcommand {
        @Option(names = "--summary", required = true, paramLabel = "F", description = "CSV with frequency, recency, T.")
        Path summary;

        @Option(
                names = "--time-unit-days",
                defaultValue = "7",
                paramLabel = "D",
                description =
                        "Days in one time unit of the summary's recency and T (default ${DEFAULT-VALUE}: weeks, as CDNOW's).")
        double timeUnitDays;

        @Override
        ModelArtifact train(ModelStore s) throws IOException {
            if (!(timeUnitDays > 0))
                throw new IllegalArgumentException("--time-unit-days must be positive, not " + timeUnitDays);
            String name = common.nameOr("lifecycle");
            String version = common.nextVersion(s, name);
            List<BgNbdFitter.Summary> rows = BgNbdFitter.readSummary(summary);
            progress("fitting BG/NBD to " + rows.size() + " shoppers");
            BgNbdFitter.Fit fit = new BgNbdFitter().fit(rows);
            return ModelCodec.lifecycle(
                    name,
                    version,
                    fit.model(),
                    Instant.now(),
                    common.window(summary, rows.size()),
                    Map.of("logLikelihood", fit.logLikelihood()),
                    timeUnitDays);
        }
    }

    /** {@code train elasticity}: fits the log-log demand model to price observations and stores it. */
    @Command(name = "elasticity", description = "Fit a demand model and store it.")
    static final class Elasticity extends Subcommand {
        @Mixin
        ElasticityOptions observations;

        @Override
        ModelArtifact train(ModelStore s) throws IOException {
            String name = common.nameOr("demand");
            String version = common.nextVersion(s, name);
            progress("reading " + observations.csv);
            ElasticityFitter.Fit fit = observations.fit();
            return ModelCodec.demand(
                    name,
                    version,
                    fit.model(),
                    Instant.now(),
                    common.window(observations.csv, fit.rows()),
                    Map.of(
                            "elasticity",
                            fit.model().elasticity(),
                            "rSquared",
                            fit.rSquared(),
                            "elasticityStdError",
                            fit.elasticityStdError()),
                    Map.of(
                            "priceCol",
                            observations.priceCol,
                            "qtyCol",
                            observations.qtyCol,
                            "groupCol",
                            observations.groupCol == null ? "" : observations.groupCol));
        }
    }
}
