package io.kairos.tools.models;

import io.kairos.models.data.CsvTable;
import io.kairos.models.demand.ElasticityFitter;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Observation-file options shared by {@code elasticity} and {@code train elasticity} (a mixin). */
final class ElasticityOptions {
    @Option(names = "--csv", required = true, paramLabel = "F", description = "Observations CSV.")
    Path csv;

    @Option(names = "--price-col", required = true, paramLabel = "C", description = "Price column.")
    String priceCol;

    @Option(names = "--qty-col", required = true, paramLabel = "C", description = "Quantity column.")
    String qtyCol;

    @Option(names = "--group-col", paramLabel = "C", description = "Group column (brand, SKU, category).")
    String groupCol;

    ElasticityFitter.Fit fit() throws IOException {
        return new ElasticityFitter().fit(CsvTable.read(csv), priceCol, qtyCol, groupCol);
    }
}
