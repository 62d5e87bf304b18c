package io.kairos.offer;

import io.kairos.models.uplift.OfferFeatures;
import io.kairos.models.uplift.Score;
import io.kairos.models.uplift.ShopperFeatures;
import io.kairos.models.uplift.UpliftScorer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model wrapped to count its calls and the time spent inside its {@code score} (on the caller's thread: the model
 * dispatcher's, in an entity). Used by tests that check when the model is asked and by the decision benchmark.
 */
public final class TimedScorer implements UpliftScorer {
    private final UpliftScorer model;
    public final AtomicLong calls;
    public final AtomicLong nanos = new AtomicLong();

    public TimedScorer(UpliftScorer model) {
        this(model, new AtomicLong());
    }

    /** Counts calls into {@code calls}, which several wrappers may share. */
    public TimedScorer(UpliftScorer model, AtomicLong calls) {
        this.model = model;
        this.calls = calls;
    }

    public void reset() {
        calls.set(0);
        nanos.set(0);
    }

    @Override
    public String engine() {
        return model.engine();
    }

    @Override
    public List<Score> score(ShopperFeatures shopper, List<OfferFeatures> candidates) {
        long t0 = System.nanoTime();
        try {
            return model.score(shopper, candidates);
        } finally {
            nanos.addAndGet(System.nanoTime() - t0);
            calls.incrementAndGet();
        }
    }

    @Override
    public String modelName() {
        return model.modelName();
    }

    @Override
    public String modelVersion() {
        return model.modelVersion();
    }
}
