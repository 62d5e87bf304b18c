package io.kairos.tools.models;

import io.kairos.models.registry.Json;
import io.kairos.models.uplift.UpliftEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code uplift-eval}: train on one part of an experiment, report uplift@k, Qini and AUUC on the other. */
@Command(
        name = "uplift-eval",
        description =
                "Train an uplift model on an experiment CSV and report uplift at the top 10, 20 and 30 percent, Qini and AUUC on test rows.")
final class UpliftEvalCommand extends ToolCommand {
    @Mixin
    UpliftOptions uplift;

    @Option(names = "--test-csv", paramLabel = "F2", description = "Separate test file (default: split --csv).")
    Path testCsv;

    @Option(
            names = "--split",
            defaultValue = "0.5",
            description = "Test share when splitting (default ${DEFAULT-VALUE}).")
    double split;

    @Option(names = "--scores-out", paramLabel = "F", description = "Write id,uplift for every test row.")
    Path scoresOut;

    @Override
    int run() throws IOException {
        var settings = new UpliftEvaluation.Settings(
                uplift.csv,
                testCsv,
                uplift.columns(null),
                split,
                uplift.seed,
                scoresOut,
                uplift.design,
                uplift.params());
        UpliftEvaluation.Result r =
                new UpliftEvaluation(this::progress).run(settings).result();
        if (json) {
            // Every figure of the result under its component name; as a map, so printJson orders the keys.
            printJson(Json.mapper().convertValue(r, Map.class));
        } else {
            out().printf("train rows   %d%ntest rows    %d%n", r.trainRows(), r.testRows());
            out().printf(
                            "uplift@10%%   %.4f%nuplift@20%%   %.4f%nuplift@30%%   %.4f%n",
                            r.upliftAt10(), r.upliftAt20(), r.upliftAt30());
            out().printf("Qini coeff.  %.4f%nAUUC         %.4f%n", r.qini(), r.auuc());
            out().flush();
        }
        return 0;
    }
}
