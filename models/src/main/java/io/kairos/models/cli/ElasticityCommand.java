package io.kairos.models.cli;

import io.kairos.models.data.CsvTable;
import io.kairos.models.demand.ElasticityFitter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code elasticity}: log-log price elasticity with per-group intercepts. */
@Command(name = "elasticity", mixinStandardHelpOptions = true,
    description = "Regress log(quantity) on log(price) with one intercept per group; print the elasticity.")
final class ElasticityCommand extends ToolCommand {
  @Option(names = "--csv", required = true, paramLabel = "F", description = "Observations CSV.")
  Path csv;

  @Option(names = "--price-col", required = true, paramLabel = "C", description = "Price column.")
  String priceCol;

  @Option(names = "--qty-col", required = true, paramLabel = "C", description = "Quantity column.")
  String qtyCol;

  @Option(names = "--group-col", paramLabel = "C", description = "Group column (brand, SKU, category).")
  String groupCol;

  @Override
  int run() throws IOException {
    progress("reading " + csv);
    ElasticityFitter.Fit fit = fit(csv, priceCol, qtyCol, groupCol);
    if (json) {
      var o = new LinkedHashMap<String, Object>();
      o.put("elasticity", fit.model().elasticity());
      o.put("groups", fit.model().sortedIntercepts());
      printJson(o);
    } else {
      out().printf("elasticity  %.4f (s.e. %.4f, R² %.3f, %d rows, %d skipped)%n", fit.model().elasticity(),
          fit.elasticityStdError(), fit.rSquared(), fit.rows(), fit.skipped());
      fit.model().sortedIntercepts().forEach((g, v) -> out().printf("intercept   %-20s %.4f%n", g, v));
      out().flush();
    }
    return 0;
  }

  static ElasticityFitter.Fit fit(Path csv, String priceCol, String qtyCol, String groupCol) throws IOException {
    return new ElasticityFitter().fit(CsvTable.read(csv), priceCol, qtyCol, groupCol);
  }
}
