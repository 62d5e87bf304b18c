package io.kairos.models.uplift;

import io.kairos.models.data.CsvTable;
import io.kairos.models.metrics.UpliftMetrics;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Trains an uplift model on the train part of an experiment and measures it on the test part: the job behind
 * {@code uplift-eval}. The test part is either a second file or a seeded random share of the experiment's rows (rows of
 * other arms are dropped before splitting, so the split is over the two compared arms only).
 */
public final class UpliftEvaluation {
    /**
     * @param csv the experiment file
     * @param testCsv a separate test file, or {@code null} to split {@code csv}
     * @param columns column roles
     * @param testShare share of rows held out for testing when splitting, in (0, 1)
     * @param seed split seed (also the boosting seed)
     * @param scoresOut where to write {@code id,uplift} per test row, or {@code null}
     * @param trainer learner settings (features are filled in from the file)
     */
    public record Settings(
            Path csv,
            Path testCsv,
            ExperimentCsv.Columns columns,
            double testShare,
            long seed,
            Path scoresOut,
            UpliftDesign design,
            io.kairos.models.trees.BoostingParams params) {}

    /** The figures {@code uplift-eval} reports. */
    public record Result(
            double upliftAt10,
            double upliftAt20,
            double upliftAt30,
            double qini,
            double auuc,
            int trainRows,
            int testRows) {}

    /** The figures, the model they were measured on and the experiment's rows (for refitting on all of them). */
    public record Outcome(Result result, UpliftModel model, ExperimentCsv.Rows rows) {}

    private final Consumer<String> progress;

    public UpliftEvaluation(Consumer<String> progress) {
        this.progress = progress;
    }

    public Outcome run(Settings settings) throws IOException {
        progress.accept("reading " + settings.csv());
        CsvTable table = CsvTable.read(settings.csv());
        var source = new ExperimentCsv(settings.columns());
        ExperimentCsv.Rows all = source.read(table);
        progress.accept(all.examples().size() + " rows in the two arms, " + all.dropped() + " dropped");

        List<UpliftExample> train;
        List<UpliftExample> test;
        CsvTable testTable;
        List<Integer> testIdsRows;
        if (settings.testCsv() == null) {
            if (!(settings.testShare() > 0 && settings.testShare() < 1)) {
                throw new IllegalArgumentException("--split must be in (0, 1): " + settings.testShare());
            }
            List<List<Integer>> parts = split(all.examples().size(), settings.testShare(), settings.seed());
            var trainIdx = parts.get(0);
            var testIdx = parts.get(1);
            train = trainIdx.stream().map(all.examples()::get).toList();
            test = testIdx.stream().map(all.examples()::get).toList();
            testTable = table;
            testIdsRows = testIdx.stream().map(i -> all.rowIndex()[i]).sorted().toList();
        } else {
            train = all.examples();
            progress.accept("reading " + settings.testCsv());
            testTable = CsvTable.read(settings.testCsv());
            ExperimentCsv.Rows testRows = source.read(testTable);
            test = testRows.examples();
            // Every row of a separate test file gets a score, whichever arm it is in.
            testIdsRows = new ArrayList<>();
            for (int r = 0; r < testTable.size(); r++) {
                testIdsRows.add(r);
            }
        }
        if (test.isEmpty()) {
            throw new IllegalArgumentException("no test rows in the two arms");
        }

        var trainerSettings = new UpliftTrainer.Settings(
                all.features(),
                List.of(),
                settings.design(),
                settings.params().withSeed(settings.seed()),
                io.kairos.models.features.SchemaInference.DEFAULT_MAX_CATEGORIES);
        UpliftModel model = new UpliftTrainer(progress).train(train, trainerSettings, "uplift-eval", "0");

        progress.accept("scoring " + test.size() + " test rows");
        var outcome = new double[test.size()];
        var treated = new boolean[test.size()];
        var uplift = new double[test.size()];
        for (int i = 0; i < test.size(); i++) {
            UpliftExample e = test.get(i);
            outcome[i] = e.outcome();
            treated[i] = e.treated();
            uplift[i] = upliftOf(model, e.shopper());
        }
        if (settings.scoresOut() != null) {
            writeScores(
                    settings.scoresOut(),
                    testTable,
                    testIdsRows,
                    all.features(),
                    model,
                    settings.columns().idCol());
            progress.accept("wrote scores to " + settings.scoresOut());
        }
        var result = new Result(
                UpliftMetrics.upliftAtK(outcome, treated, uplift, 0.1),
                UpliftMetrics.upliftAtK(outcome, treated, uplift, 0.2),
                UpliftMetrics.upliftAtK(outcome, treated, uplift, 0.3),
                UpliftMetrics.qiniCoefficient(outcome, treated, uplift),
                UpliftMetrics.auuc(outcome, treated, uplift),
                train.size(),
                test.size());
        return new Outcome(result, model, all);
    }

    /**
     * The seeded split every evaluation uses: a shuffle of {@code 0..n-1}, the first {@code round(n * testShare)}
     * positions being the test part.
     *
     * @return [train indexes, test indexes]
     */
    public static List<List<Integer>> split(int n, double testShare, long seed) {
        var order = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int nTest = (int) Math.round(n * testShare);
        return List.of(List.copyOf(order.subList(nTest, n)), List.copyOf(order.subList(0, nTest)));
    }

    private static final OfferFeatures THE_TREATMENT = OfferFeatures.of("treatment", Map.of());

    static double upliftOf(UpliftModel model, Map<String, ?> shopper) {
        return model.score(ShopperFeatures.of(shopper), List.of(THE_TREATMENT))
                .get(0)
                .uplift();
    }

    private static void writeScores(
            Path out, CsvTable table, List<Integer> rows, List<String> features, UpliftModel model, String idCol)
            throws IOException {
        int idColumn = idCol == null ? -1 : table.column(idCol);
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(
                        w, CSVFormat.RFC4180.builder().setRecordSeparator('\n').build())) {
            csv.printRecord("id", "uplift");
            for (int r : rows) {
                String id = idColumn < 0 ? Integer.toString(r) : table.get(r, idColumn);
                double u = upliftOf(model, ExperimentCsv.shopperValues(table, r, features));
                csv.printRecord(id == null ? "" : id, u);
            }
        }
    }
}
