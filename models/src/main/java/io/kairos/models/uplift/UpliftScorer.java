package io.kairos.models.uplift;

import java.util.List;

/**
 * Scores candidate offers for one shopper in one call: the API shopper actors use. Implementations are thread-safe and
 * never block on I/O, so actors may call them directly; results come back in the candidates' order.
 */
public interface UpliftScorer {
    List<Score> score(ShopperFeatures shopper, List<OfferFeatures> candidates);

    String modelName();

    String modelVersion();

    /** What runs the model, as a decision records it (e.g. {@code OnnxRuntime 1.24.2 (DJL 0.35.1)}). */
    String engine();
}
