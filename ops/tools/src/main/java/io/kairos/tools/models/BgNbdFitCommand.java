package io.kairos.tools.models;

import io.kairos.models.lifecycle.BgNbdFitter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bgnbd-fit}: maximum-likelihood BG/NBD on a (frequency, recency, T) summary. */
@Command(
        name = "bgnbd-fit",
        description = "Fit BG/NBD by maximum likelihood to a CSV with columns frequency, recency, T.")
final class BgNbdFitCommand extends ToolCommand {
    @Option(names = "--summary", required = true, paramLabel = "F", description = "CSV with frequency, recency, T.")
    Path summary;

    @Override
    int run() throws IOException {
        progress("reading " + summary);
        List<BgNbdFitter.Summary> rows = BgNbdFitter.readSummary(summary);
        progress("fitting BG/NBD to " + rows.size() + " shoppers");
        BgNbdFitter.Fit fit = new BgNbdFitter().fit(rows);
        if (json) {
            var o = new LinkedHashMap<String, Object>();
            o.put("r", fit.model().r());
            o.put("alpha", fit.model().alpha());
            o.put("a", fit.model().a());
            o.put("b", fit.model().b());
            o.put("logLikelihood", fit.logLikelihood());
            printJson(o);
        } else {
            out().printf(
                            "r      %.4f%nalpha  %.4f%na      %.4f%nb      %.4f%nlog-likelihood %.4f (%d shoppers)%n",
                            fit.model().r(),
                            fit.model().alpha(),
                            fit.model().a(),
                            fit.model().b(),
                            fit.logLikelihood(),
                            rows.size());
            out().flush();
        }
        return 0;
    }
}
