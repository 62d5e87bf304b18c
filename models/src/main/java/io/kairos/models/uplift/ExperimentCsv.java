package io.kairos.models.uplift;

import io.kairos.models.data.CsvTable;
import io.kairos.models.features.FeatureSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a randomised-experiment CSV (a treatment column, an outcome column, feature columns) into
 * {@link UpliftExample}s: rows whose treatment is the treatment value are treated, the control value's rows are
 * control, every other row (other arms, missing treatment) is dropped, as are rows with a missing or non-numeric
 * outcome. Randomisation means each row's propensity is its arm's share of the kept rows.
 *
 * @param columns the column roles
 */
public record ExperimentCsv(Columns columns) {
    /**
     * @param treatmentCol column holding the arm
     * @param treatmentValue the arm that counts as treated
     * @param controlValue the arm that counts as control
     * @param outcomeCol the 0/1 (or numeric) response
     * @param features feature columns; empty = every column except treatment, outcome, id and value
     * @param idCol optional row id column ({@code null} if none)
     * @param valueCol optional order value column ({@code null} if none)
     */
    public record Columns(
            String treatmentCol,
            String treatmentValue,
            String controlValue,
            String outcomeCol,
            List<String> features,
            String idCol,
            String valueCol) {
        public Columns {
            features = List.copyOf(features);
        }
    }

    /**
     * The rows of one table that belong to the experiment.
     *
     * @param examples one per kept row
     * @param rowIndex the 0-based data row of each example in the table
     * @param features the feature columns used
     * @param dropped rows not in either arm or without a usable outcome
     */
    public record Rows(List<UpliftExample> examples, int[] rowIndex, List<String> features, int dropped) {}

    /** The feature columns: the given ones, or every column not playing another role. */
    public List<String> featureColumns(CsvTable table) {
        if (!columns.features().isEmpty()) {
            columns.features().forEach(table::column);
            return columns.features();
        }
        var roles = new java.util.HashSet<String>();
        roles.add(columns.treatmentCol());
        roles.add(columns.outcomeCol());
        if (columns.idCol() != null) {
            roles.add(columns.idCol());
        }
        if (columns.valueCol() != null) {
            roles.add(columns.valueCol());
        }
        return table.columns().stream().filter(c -> !roles.contains(c)).toList();
    }

    public Rows read(CsvTable table) {
        int t = table.column(columns.treatmentCol());
        int y = table.column(columns.outcomeCol());
        int v = columns.valueCol() == null ? -1 : table.column(columns.valueCol());
        List<String> features = featureColumns(table);
        int[] f = features.stream().mapToInt(table::column).toArray();
        var arms = new ArrayList<Boolean>();
        var outcomes = new ArrayList<Double>();
        var kept = new ArrayList<Integer>();
        int treated = 0;
        for (int r = 0; r < table.size(); r++) {
            String arm = table.get(r, t);
            Boolean isTreated = columns.treatmentValue().equals(arm)
                    ? Boolean.TRUE
                    : columns.controlValue().equals(arm) ? Boolean.FALSE : null;
            Double outcome = outcome(table.get(r, y));
            if (isTreated == null || outcome == null) {
                continue;
            }
            arms.add(isTreated);
            outcomes.add(outcome);
            kept.add(r);
            treated += isTreated ? 1 : 0;
        }
        double pTreated = kept.isEmpty() ? 1 : (double) treated / kept.size();
        var examples = new ArrayList<UpliftExample>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            int r = kept.get(i);
            Map<String, Object> shopper = new HashMap<>();
            for (int c = 0; c < f.length; c++) {
                String cell = table.get(r, f[c]);
                if (cell != null) {
                    shopper.put(features.get(c), cell);
                }
            }
            boolean isTreated = arms.get(i);
            double value = Double.NaN;
            if (v >= 0) {
                Double parsed = FeatureSchema.parseNumber(table.get(r, v));
                value = parsed == null ? Double.NaN : parsed;
            }
            examples.add(new UpliftExample(
                    shopper, Map.of(), isTreated, isTreated ? pTreated : 1 - pTreated, outcomes.get(i), value));
        }
        return new Rows(
                examples, kept.stream().mapToInt(Integer::intValue).toArray(), features, table.size() - kept.size());
    }

    /** Raw shopper values of any row (for scoring rows of other arms too). */
    public static Map<String, Object> shopperValues(CsvTable table, int row, List<String> features) {
        Map<String, Object> shopper = new HashMap<>();
        for (String name : features) {
            String cell = table.get(row, table.column(name));
            if (cell != null) {
                shopper.put(name, cell);
            }
        }
        return shopper;
    }

    /** 0/1 from numbers or the usual boolean spellings; {@code null} when missing or unreadable. */
    static Double outcome(String cell) {
        if (cell == null) {
            return null;
        }
        Double d = FeatureSchema.parseNumber(cell);
        if (d != null) {
            return d;
        }
        return switch (cell.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y" -> 1.0;
            case "false", "no", "n" -> 0.0;
            default -> null;
        };
    }
}
