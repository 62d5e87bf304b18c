package io.kairos.audit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The verdict of re-deriving a recorded decision (an offer decision, {@code DecisionReplay}; a pricing decision,
 * {@code PriceReplay}) and how its fields are compared: exactly, within {@value #RELATIVE_TOLERANCE} relative (scores,
 * shares, probabilities), or as money (the same amount, whatever its scale).
 */
public final class Rederivation {
    /** How closely re-computed scores and shares must match the recorded ones, relative to the larger. */
    public static final double RELATIVE_TOLERANCE = 1e-9;

    private Rederivation() {}

    /** One field whose re-derived value is not the recorded one. */
    public record Difference(String field, String recorded, String replayed) {}

    /**
     * A replay's verdict.
     *
     * @param kind {@code offer}, {@code none}, {@code holdout} or {@code price}
     * @param rederivable false when the record cannot be re-derived here ({@code reason} says why); then it is neither
     *     identical nor different
     * @param compared how many fields were compared
     * @param model what re-ran ({@code name@version} of a model, or a pricing policy's model), null when nothing did
     */
    public record Result(
            String decisionId,
            String kind,
            boolean rederivable,
            String reason,
            boolean identical,
            List<Difference> differences,
            int compared,
            String model) {
        public Result {
            differences = List.copyOf(differences);
        }

        public static Result notRederivable(String decisionId, String kind, String reason) {
            return new Result(decisionId, kind, false, "not re-derivable: " + reason, false, List.of(), 0, null);
        }
    }

    /** Collects the differences of one replay. */
    public static final class Comparison {
        private final List<Difference> differences = new ArrayList<>();
        private int compared;

        public void exact(String field, Object recorded, Object replayed) {
            same(field, Objects.equals(recorded, replayed), recorded, replayed);
        }

        public void close(String field, double recorded, double replayed) {
            same(field, withinTolerance(recorded, replayed), recorded, replayed);
        }

        public void money(String field, BigDecimal recorded, BigDecimal replayed) {
            same(
                    field,
                    sameAmount(recorded, replayed),
                    recorded == null ? null : recorded.toPlainString(),
                    replayed == null ? null : replayed.toPlainString());
        }

        /** A comparison made by the caller: {@code same} says whether the two values agree. */
        public void same(String field, boolean same, Object recorded, Object replayed) {
            compared++;
            if (!same)
                differences.add(new Difference(
                        field,
                        recorded == null ? null : recorded.toString(),
                        replayed == null ? null : replayed.toString()));
        }

        public Result result(String decisionId, String kind, String model) {
            return new Result(decisionId, kind, true, null, differences.isEmpty(), differences, compared, model);
        }
    }

    /** Whether two values agree within {@link #RELATIVE_TOLERANCE} of the larger (NaN agrees only with NaN). */
    public static boolean withinTolerance(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b);
        if (a == b) return true;
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    /** The same amount of money, whatever the scale (20 and 20.00); null only equals null. */
    public static boolean sameAmount(BigDecimal a, BigDecimal b) {
        return a == null || b == null ? a == b : a.compareTo(b) == 0;
    }
}
