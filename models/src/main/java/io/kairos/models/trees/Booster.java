package io.kairos.models.trees;

import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains gradient-boosted trees with XGBoost (xgboost4j, single-threaded) and hands back the model in XGBoost's own
 * JSON format, which {@link TreeEnsemble} serves in plain Java and xgboost4j can reload for verification.
 *
 * <p>XGBoost's native library is loaded the first time this class trains, never at serving time. Missing values are
 * {@code NaN}. Stateless; each call owns its native handles and frees them before returning.
 */
public final class Booster {
    /** The learning task: which XGBoost objective and output link. */
    public enum Task {
        /** P(y = 1): {@code binary:logistic}. */
        BINARY("binary:logistic"),
        /** E[y]: {@code reg:squarederror}. */
        REGRESSION("reg:squarederror");

        final String objective;

        Task(String objective) {
            this.objective = objective;
        }
    }

    private Booster() {}

    /**
     * Trains on a dense row-major matrix.
     *
     * @param x row-major features, {@code rows * cols} floats, {@code NaN} = missing
     * @param weight per-row weight, or {@code null} for 1
     * @return the trained model as XGBoost JSON (UTF-8 bytes)
     */
    public static byte[] train(
            float[] x, int rows, int cols, float[] label, float[] weight, Task task, BoostingParams params) {
        if (x.length != (long) rows * cols || label.length != rows || (weight != null && weight.length != rows)) {
            throw new IllegalArgumentException("matrix shape does not match rows/cols/labels");
        }
        try {
            DMatrix data = new DMatrix(x, rows, cols, Float.NaN);
            try {
                data.setLabel(label);
                if (weight != null) {
                    data.setWeight(weight);
                }
                Map<String, Object> p = new HashMap<>();
                p.put("objective", task.objective);
                p.put("tree_method", "hist");
                p.put("max_depth", params.maxDepth());
                p.put("eta", params.eta());
                p.put("min_child_weight", params.minChildWeight());
                p.put("subsample", params.subsample());
                p.put("lambda", params.lambda());
                p.put("seed", params.seed());
                // One thread: the box has 2 cores shared with the node; more threads measured far slower here.
                p.put("nthread", 1);
                p.put("verbosity", 0);
                ml.dmlc.xgboost4j.java.Booster booster =
                        XGBoost.train(data, p, params.rounds(), new HashMap<>(), null, null);
                try {
                    return booster.toByteArray("json");
                } finally {
                    booster.dispose();
                }
            } finally {
                data.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        }
    }

    /**
     * Predicts with XGBoost itself (the "raw engine"), for verifying and benchmarking the plain-Java path.
     *
     * @return one prediction per row (probability for {@link Task#BINARY})
     */
    public static float[] predictWithXgboost(byte[] modelJson, float[] x, int rows, int cols) {
        try {
            ml.dmlc.xgboost4j.java.Booster booster = XGBoost.loadModel(modelJson);
            try {
                return predict(booster, x, rows, cols);
            } finally {
                booster.dispose();
            }
        } catch (XGBoostError | java.io.IOException e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    /** Loads a model into a native booster that the caller must {@code dispose()}. */
    public static ml.dmlc.xgboost4j.java.Booster load(byte[] modelJson) {
        try {
            var booster = XGBoost.loadModel(modelJson);
            booster.setParam("nthread", 1);
            return booster;
        } catch (XGBoostError | java.io.IOException e) {
            throw new IllegalStateException("XGBoost load failed: " + e.getMessage(), e);
        }
    }

    /** One prediction per row from a loaded native booster. */
    public static float[] predict(ml.dmlc.xgboost4j.java.Booster booster, float[] x, int rows, int cols) {
        try {
            DMatrix data = new DMatrix(x, rows, cols, Float.NaN);
            try {
                float[][] out = booster.predict(data);
                var flat = new float[rows];
                for (int i = 0; i < rows; i++) {
                    flat[i] = out[i][0];
                }
                return flat;
            } finally {
                data.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }
}
