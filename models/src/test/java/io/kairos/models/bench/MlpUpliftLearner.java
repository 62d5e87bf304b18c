package io.kairos.models.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.kairos.models.features.FeatureSchema;
import io.kairos.models.features.SchemaInference;
import io.kairos.models.uplift.UpliftExample;
import java.io.IOException;
import java.util.List;

/**
 * The neural alternative measured against the trees: an S-learner MLP (inputs: standardised encoded shopper features
 * plus the treated flag; 64-32 ReLU; sigmoid cross-entropy; Adam) trained with DJL on the PyTorch engine, single
 * threaded. Uplift = f(x, 1) − f(x, 0). Lives in test scope because it lost on uplift quality (see the README).
 */
final class MlpUpliftLearner {
    private final int epochs;
    private final int batch;
    private final float learningRate;

    MlpUpliftLearner(int epochs, int batch, float learningRate) {
        this.epochs = epochs;
        this.batch = batch;
        this.learningRate = learningRate;
    }

    /** Trains on {@code train} and returns the predicted uplift of every row of {@code test}. */
    double[] fitPredict(List<UpliftExample> train, List<UpliftExample> test, List<String> features, long seed)
            throws IOException, TranslateException {
        FeatureSchema schema = new SchemaInference()
                .infer(features, train.stream().map(UpliftExample::shopper).toList());
        int w = schema.width() + 1;
        float[] xTrain = encode(train, schema, w, null);
        var mean = new float[w];
        var std = new float[w];
        standardisation(xTrain, train.size(), w, mean, std);
        standardise(xTrain, train.size(), w, mean, std);
        var y = new float[train.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) train.get(i).outcome();
        }
        Engine.getInstance().setRandomSeed((int) seed);
        try (Model model = Model.newInstance("mlp-uplift", "PyTorch")) {
            var net = new SequentialBlock()
                    .add(Linear.builder().setUnits(64).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(32).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(1).build());
            model.setBlock(net);
            var config = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(learningRate))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, w));
                NDManager m = trainer.getManager();
                var data = new ArrayDataset.Builder()
                        .setData(m.create(xTrain, new Shape(train.size(), w)))
                        .optLabels(m.create(y, new Shape(train.size(), 1)))
                        .setSampling(batch, true)
                        .build();
                EasyTrain.fit(trainer, epochs, data, null);
            }
            try (NDManager m = NDManager.newBaseManager()) {
                var ps = new ParameterStore(m, false);
                float[] treated = encode(test, schema, w, 1f);
                float[] control = encode(test, schema, w, 0f);
                standardise(treated, test.size(), w, mean, std);
                standardise(control, test.size(), w, mean, std);
                NDArray p1 = net.forward(ps, new NDList(m.create(treated, new Shape(test.size(), w))), false)
                        .singletonOrThrow()
                        .getNDArrayInternal()
                        .sigmoid();
                NDArray p0 = net.forward(ps, new NDList(m.create(control, new Shape(test.size(), w))), false)
                        .singletonOrThrow()
                        .getNDArrayInternal()
                        .sigmoid();
                float[] up = p1.sub(p0).toFloatArray();
                var out = new double[up.length];
                for (int i = 0; i < up.length; i++) {
                    out[i] = up[i];
                }
                return out;
            }
        }
    }

    /** Rows of [shopper slots, treated flag]; {@code flag} overrides the row's own arm when not null. */
    private static float[] encode(List<UpliftExample> rows, FeatureSchema schema, int w, Float flag) {
        var x = new float[rows.size() * w];
        for (int i = 0; i < rows.size(); i++) {
            schema.encode(rows.get(i).shopper(), x, i * w);
            x[i * w + w - 1] = flag != null ? flag : rows.get(i).treated() ? 1f : 0f;
        }
        return x;
    }

    private static void standardisation(float[] x, int rows, int w, float[] mean, float[] std) {
        for (int j = 0; j < w; j++) {
            double s = 0;
            double s2 = 0;
            int n = 0;
            for (int i = 0; i < rows; i++) {
                float v = x[i * w + j];
                if (!Float.isNaN(v)) {
                    s += v;
                    s2 += v * v;
                    n++;
                }
            }
            double mu = n == 0 ? 0 : s / n;
            double var = n == 0 ? 1 : s2 / n - mu * mu;
            mean[j] = (float) mu;
            std[j] = (float) (var > 1e-12 ? Math.sqrt(var) : 1);
        }
    }

    // Missing values become the mean (0 after standardising): the MLP has no native notion of missing.
    private static void standardise(float[] x, int rows, int w, float[] mean, float[] std) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < w; j++) {
                float v = x[i * w + j];
                x[i * w + j] = Float.isNaN(v) ? 0f : (v - mean[j]) / std[j];
            }
        }
    }
}
