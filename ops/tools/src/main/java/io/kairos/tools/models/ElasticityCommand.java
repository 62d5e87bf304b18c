package io.kairos.tools.models;

import io.kairos.models.demand.ElasticityFitter;
import java.io.IOException;
import java.util.LinkedHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code elasticity}: log-log price elasticity with per-group intercepts. */
@Command(
        name = "elasticity",
        description = "Regress log(quantity) on log(price) with one intercept per group; print the elasticity.")
final class ElasticityCommand extends ToolCommand {
    @Mixin
    ElasticityOptions observations;

    @Override
    int run() throws IOException {
        progress("reading " + observations.csv);
        ElasticityFitter.Fit fit = observations.fit();
        if (json) {
            var o = new LinkedHashMap<String, Object>();
            o.put("elasticity", fit.model().elasticity());
            o.put("groups", fit.model().sortedIntercepts());
            printJson(o);
        } else {
            out().printf(
                            "elasticity  %.4f (s.e. %.4f, R² %.3f, %d rows, %d skipped)%n",
                            fit.model().elasticity(),
                            fit.elasticityStdError(),
                            fit.rSquared(),
                            fit.rows(),
                            fit.skipped());
            fit.model().sortedIntercepts().forEach((g, v) -> out().printf("intercept   %-20s %.4f%n", g, v));
            out().flush();
        }
        return 0;
    }
}
