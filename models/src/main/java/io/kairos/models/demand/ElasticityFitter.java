package io.kairos.models.demand;

import io.kairos.models.data.CsvTable;
import io.kairos.models.features.FeatureSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * Fits a {@link DemandModel} by ordinary least squares (Commons Math) of ln(quantity) on ln(price) plus one dummy per
 * group beyond the first: the classic constant-elasticity demand regression with group fixed effects. Rows with a
 * missing or non-positive price or quantity are skipped (logs are undefined) and counted.
 */
public final class ElasticityFitter {
    /** The one group of a fit without a group column. */
    public static final String ALL = "all";

    /** The model, its R² and how many rows were used / skipped. */
    public record Fit(DemandModel model, double rSquared, int rows, int skipped, double elasticityStdError) {}

    /** One observation. */
    public record Observation(double price, double quantity, String group) {}

    public Fit fit(CsvTable table, String priceCol, String qtyCol, String groupCol) {
        int p = table.column(priceCol);
        int q = table.column(qtyCol);
        int g = groupCol == null ? -1 : table.column(groupCol);
        var obs = new ArrayList<Observation>();
        int skipped = 0;
        for (int r = 0; r < table.size(); r++) {
            Double price = FeatureSchema.parseNumber(table.get(r, p));
            Double qty = FeatureSchema.parseNumber(table.get(r, q));
            String group = g < 0 ? ALL : table.get(r, g);
            if (price == null || qty == null || !(price > 0) || !(qty > 0) || group == null) {
                skipped++;
                continue;
            }
            obs.add(new Observation(price, qty, group));
        }
        Fit fit = fit(obs);
        return new Fit(fit.model(), fit.rSquared(), fit.rows(), skipped, fit.elasticityStdError());
    }

    public Fit fit(List<Observation> observations) {
        var groups = new ArrayList<>(
                new TreeSet<>(observations.stream().map(Observation::group).toList()));
        if (observations.size() < groups.size() + 2) {
            throw new IllegalArgumentException(
                    "too few observations (" + observations.size() + ") for " + groups.size() + " groups");
        }
        Map<String, Integer> dummy = new HashMap<>();
        for (int i = 1; i < groups.size(); i++) {
            dummy.put(groups.get(i), i);
        }
        int k = groups.size();
        var y = new double[observations.size()];
        var x = new double[observations.size()][k];
        var counts = new HashMap<String, Integer>();
        for (int i = 0; i < observations.size(); i++) {
            Observation o = observations.get(i);
            y[i] = Math.log(o.quantity());
            x[i][0] = Math.log(o.price());
            Integer d = dummy.get(o.group());
            if (d != null) {
                x[i][d] = 1;
            }
            counts.merge(o.group(), 1, Integer::sum);
        }
        var ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters();
        double[] se = ols.estimateRegressionParametersStandardErrors();
        double[] residuals = ols.estimateResiduals();
        double smear = 0;
        for (double e : residuals) {
            smear += Math.exp(e);
        }
        smear /= residuals.length;
        Map<String, Double> intercepts = new LinkedHashMap<>();
        double weighted = 0;
        for (int i = 0; i < groups.size(); i++) {
            double intercept = beta[0] + (i == 0 ? 0 : beta[1 + i]);
            intercepts.put(groups.get(i), intercept);
            weighted += intercept * counts.get(groups.get(i));
        }
        var model = new DemandModel(beta[1], intercepts, weighted / observations.size(), smear);
        return new Fit(model, ols.calculateRSquared(), observations.size(), 0, se[1]);
    }
}
