package io.kairos.tools.models;

import io.kairos.models.preference.PreferenceEvaluation;
import io.kairos.models.preference.StarbucksExperiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code preference-eval}: the coupon-type preference policy on the Starbucks rewards-app experiment, off-policy. */
@Command(
        name = "preference-eval",
        description = "Learn which offer (or none) each customer answers to on half of the Starbucks rewards-app"
                + " experiment and evaluate it off-policy (SNIPS and IPS, bootstrap 95 percent intervals) on the other half"
                + " against the best single offer, a uniformly random offer and no offer.")
final class PreferenceEvalCommand extends ToolCommand {
    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Directory of starbucks_*.json (default: the shared data's offers/).")
    Path data;

    @Option(names = "--seed", defaultValue = "1", description = "Split, fold and bootstrap seed (default 1).")
    long seed;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples (default 1000).")
    int resamples;

    @Override
    int run() {
        Path dir = data != null ? data : Path.of(System.getProperty("kairos.shared.data", "../shared/data"), "offers");
        if (!Files.isRegularFile(dir.resolve("starbucks_transcript.json"))) {
            throw new IllegalArgumentException("no starbucks_transcript.json in " + dir + " (give --data DIR)");
        }
        progress("reading " + dir);
        var experiment = StarbucksExperiment.read(dir);
        progress(experiment.customers() + " customers, " + experiment.units().size() + " customer-waves");
        var defaults = PreferenceEvaluation.Settings.defaults();
        var settings = new PreferenceEvaluation.Settings(
                seed, resamples, defaults.params().withSeed(seed));
        var r = PreferenceEvaluation.run(experiment, settings, this::progress);
        if (json) {
            var policies = new LinkedHashMap<String, Object>();
            r.policies().forEach((name, v) -> policies.put(name, interval(v.snips(), "value")));
            var ips = new LinkedHashMap<String, Object>();
            r.policies().forEach((name, v) -> ips.put(name, interval(v.ips(), "value")));
            ips.put("learnedMinusBestSingle", interval(r.learnedMinusBestSingleIps(), "estimate"));
            var o = new LinkedHashMap<String, Object>();
            o.put("policies", policies);
            o.put("learnedMinusBestSingle", interval(r.learnedMinusBestSingle(), "estimate"));
            o.put("estimator", "snips");
            o.put("ips", ips);
            o.put("valueUnit", "net value (spend - rewards paid) per customer over the six waves");
            o.put("bestSingleOffer", r.bestSingleOffer());
            o.put("margin", Double.isInfinite(r.margin()) ? "infinity" : r.margin());
            o.put("learnedActionShares", r.learnedActionShares());
            o.put("trainCustomers", r.trainCustomers());
            o.put("testCustomers", r.testCustomers());
            o.put("testUnits", r.testUnits());
            o.put("seed", seed);
            o.put("bootstrap", resamples);
            printJson(o);
        } else {
            out().printf(
                            "value per customer over six waves (SNIPS [95%% CI]; IPS), %d held-out customers%n",
                            r.testCustomers());
            r.policies().forEach((name, v) -> out().printf(
                            "  %-11s %8.2f [%7.2f, %7.2f]   IPS %8.2f [%7.2f, %7.2f]%n",
                            name,
                            v.snips().estimate(),
                            v.snips().low(),
                            v.snips().high(),
                            v.ips().estimate(),
                            v.ips().low(),
                            v.ips().high()));
            var d = r.learnedMinusBestSingle();
            out().printf("learned - best single: %.2f [%.2f, %.2f] (SNIPS)%n", d.estimate(), d.low(), d.high());
            out().printf(
                            "best single offer: %s; margin %s; learned policy's actions %s%n",
                            r.bestSingleOffer(), r.margin(), r.learnedActionShares());
            out().flush();
        }
        return 0;
    }

    private static Map<String, Double> interval(io.kairos.models.preference.OffPolicy.Interval i, String name) {
        var m = new LinkedHashMap<String, Double>();
        m.put(name, round(i.estimate()));
        m.put("low", round(i.low()));
        m.put("high", round(i.high()));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
