package io.kairos.tools.models;

import io.kairos.models.trees.BoostingParams;
import io.kairos.models.uplift.ExperimentCsv;
import io.kairos.models.uplift.UpliftDesign;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Experiment-file and learner options shared by {@code uplift-eval} and {@code train uplift} (a mixin). */
final class UpliftOptions {
    @Option(names = "--csv", required = true, paramLabel = "F", description = "Experiment CSV with a header row.")
    Path csv;

    @Option(names = "--treatment-col", required = true, paramLabel = "C", description = "Column holding the arm.")
    String treatmentCol;

    @Option(names = "--treatment", required = true, paramLabel = "V", description = "Arm value that is treated.")
    String treatment;

    @Option(names = "--control", required = true, paramLabel = "V", description = "Arm value that is control.")
    String control;

    @Option(names = "--outcome", required = true, paramLabel = "C", description = "0/1 outcome column.")
    String outcome;

    @Option(
            names = "--features",
            split = ",",
            paramLabel = "a,b,…",
            description = "Feature columns (default: every column except treatment, outcome, id and value columns).")
    List<String> features = List.of();

    @Option(names = "--id-col", paramLabel = "C", description = "Row id column.")
    String idCol;

    @Option(names = "--seed", defaultValue = "42", description = "Split and boosting seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--design",
            defaultValue = "SINGLE_MODEL",
            description = "SINGLE_MODEL or TWO_MODEL (default ${DEFAULT-VALUE}).")
    UpliftDesign design;

    @Option(names = "--rounds", defaultValue = "200", description = "Boosting rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--depth", defaultValue = "3", description = "Tree depth (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--eta", defaultValue = "0.05", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double eta;

    @Option(
            names = "--min-child-weight",
            defaultValue = "5",
            description = "Min leaf weight (default ${DEFAULT-VALUE}).")
    double minChildWeight;

    @Option(names = "--subsample", defaultValue = "0.8", description = "Row subsample (default ${DEFAULT-VALUE}).")
    double subsample;

    ExperimentCsv.Columns columns(String valueCol) {
        return new ExperimentCsv.Columns(treatmentCol, treatment, control, outcome, features, idCol, valueCol);
    }

    BoostingParams params() {
        return new BoostingParams(rounds, depth, eta, minChildWeight, subsample, 1, seed);
    }
}
