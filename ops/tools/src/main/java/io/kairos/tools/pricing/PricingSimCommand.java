package io.kairos.tools.pricing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kairos.pricing.DemandPrior;
import io.kairos.pricing.SkuConfig.Policy;
import io.kairos.tools.Tool;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pricing-sim}: runs the demand simulator and prints each policy's revenue against the oracle's. */
@Command(
        name = "pricing-sim",
        description = "Simulates shoppers buying SKUs with hidden demand curves, priced by the real pricing actors, "
                + "and compares each policy's revenue with a clairvoyant oracle's.")
public final class PricingSimCommand extends Tool implements Callable<Integer> {

    @Option(names = "--skus", defaultValue = "50", description = "number of SKUs (default ${DEFAULT-VALUE})")
    int skus;

    @Option(
            names = "--days",
            defaultValue = "60",
            description = "simulated days, repriced hourly (default ${DEFAULT-VALUE})")
    int days;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "seed of the SKUs, shoppers and policies (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print {\"skus\", \"days\", \"seed\", \"policies\": {...}} only")
    boolean json;

    @Option(
            names = "--policies",
            split = ",",
            defaultValue = "fixed,thompson,qlearning",
            description = "policies to run, comma separated (default ${DEFAULT-VALUE})")
    List<String> policies;

    @Option(names = "--set", description = "override a kairos.pricing setting, e.g. --set thompson.hours-per-daypart=6")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--prior-elasticity",
            defaultValue = "-2.5",
            description =
                    "elasticity of the demand prior every SKU starts from (default ${DEFAULT-VALUE}, the population's "
                            + "mean); a robustness check: the hidden elasticities at list price lie in [-4, -1.2]")
    double priorElasticity;

    @Override
    public Integer call() throws Exception {
        var chosen = new ArrayList<Policy>();
        for (var name : policies) {
            chosen.add(Policy.fromWire(name.trim())
                    .orElseThrow(() ->
                            new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown policy: " + name)));
        }
        var base = SimulatedSku.CATEGORY_PRIOR;
        var prior = new DemandPrior(
                priorElasticity, base.baseDemand(), base.elasticitySd(), base.baseDemandLogSd(), base.source());
        var result = PricingSimulator.run(new PricingSimulator.Settings(skus, days, seed, chosen, overrides, prior));
        PrintWriter out = out();
        result.policies().forEach((policy, r) -> {
            if (r.failedDecisions() > 0) {
                err().printf(
                                Locale.ROOT,
                                "warning: %d %s decisions failed and held the price%n",
                                r.failedDecisions(),
                                policy.wireName());
            }
        });
        if (json) {
            out.println(new ObjectMapper()
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .writeValueAsString(toJson(result)));
        } else {
            print(out, result);
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> toJson(PricingSimulator.Result result) {
        var policies = new LinkedHashMap<String, Object>();
        result.policies().forEach((policy, r) -> {
            var entry = new LinkedHashMap<String, Object>();
            entry.put("revenue", round(r.revenue(), 2));
            entry.put("ratioToOracle", round(r.ratioToOracle(), 4));
            policies.put(policy.wireName(), entry);
        });
        var json = new LinkedHashMap<String, Object>();
        json.put("skus", result.skus());
        json.put("days", result.days());
        json.put("seed", result.seed());
        json.put("policies", policies);
        return json;
    }

    private static void print(PrintWriter out, PricingSimulator.Result result) {
        out.printf(
                Locale.ROOT,
                "pricing-sim: %d SKUs x %d days (hourly), seed %d%n",
                result.skus(),
                result.days(),
                result.seed());
        out.printf(
                Locale.ROOT,
                "%-10s %16s %8s %16s %8s %10s %10s%n",
                "policy",
                "revenue",
                "ratio",
                "expected rev.",
                "ratio",
                "const-el.",
                "logit");
        out.printf(
                Locale.ROOT,
                "%-10s %16.2f %8.4f %16.2f %8.4f%n",
                "oracle",
                result.oracleRevenue(),
                1.0,
                result.oracleExpectedRevenue(),
                1.0);
        result.policies()
                .forEach((policy, r) -> out.printf(
                        Locale.ROOT,
                        "%-10s %16.2f %8.4f %16.2f %8.4f %10.4f %10.4f%n",
                        policy.wireName(),
                        r.revenue(),
                        r.ratioToOracle(),
                        r.expectedRevenue(),
                        r.expectedRatioToOracle(),
                        r.ratioByFamily().getOrDefault(HiddenDemand.Family.CONSTANT_ELASTICITY, Double.NaN),
                        r.ratioByFamily().getOrDefault(HiddenDemand.Family.LOGIT, Double.NaN)));
        out.println(
                "ratio = realised revenue / oracle's realised revenue (same shoppers); expected = under the curves' "
                        + "means; const-el./logit = expected ratio by curve family");
    }

    private static BigDecimal round(double v, int digits) {
        return BigDecimal.valueOf(v).setScale(digits, RoundingMode.HALF_EVEN);
    }
}
