package io.kairos.pricing;

import io.kairos.serialization.CborSerializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The action values of the tabular Q-learning policy: for each discretised state, the value of moving the price one
 * step down, holding it, or moving it one step up, and how often the state was visited. Rows are created from the
 * demand prior the first time a state is seen, so a new SKU does not start from zeros.
 */
public record QTable(Map<String, Row> rows) implements CborSerializable {

    public QTable {
        rows = Map.copyOf(rows);
    }

    public static final QTable EMPTY = new QTable(Map.of());

    /** Actions, in the order of {@link Row#values()}. */
    public static final int DOWN = 0;

    public static final int HOLD = 1;
    public static final int UP = 2;

    /** One state's action values and visit count. */
    public record Row(double down, double hold, double up, long visits) implements CborSerializable {

        public double value(int action) {
            return switch (action) {
                case DOWN -> down;
                case HOLD -> hold;
                case UP -> up;
                default -> throw new IllegalArgumentException("action " + action);
            };
        }

        public double[] values() {
            return new double[] {down, hold, up};
        }

        public double max() {
            return Math.max(down, Math.max(hold, up));
        }

        public Row with(int action, double value) {
            return new Row(
                    action == DOWN ? value : down, action == HOLD ? value : hold, action == UP ? value : up, visits);
        }

        public Row visited() {
            return new Row(down, hold, up, visits + 1);
        }
    }

    public Optional<Row> row(String state) {
        return Optional.ofNullable(rows.get(state));
    }

    public QTable withRows(Map<String, Row> changed) {
        if (changed.isEmpty()) return this;
        var next = new HashMap<>(rows);
        next.putAll(changed);
        return new QTable(next);
    }
}
