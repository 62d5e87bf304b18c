package io.kairos.modelserving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kairos.offer.OfferPolicy;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The draw that puts a decision into the champion's share of a watched promotion. */
class ArmDrawTest {
    @Test
    void theDrawIsUniformRepeatableAndIndependentOfTheExplorationSeed() {
        int n = 20_000, inShare = 0, bothLow = 0;
        for (int i = 0; i < n; i++) {
            var id = UUID.randomUUID().toString();
            double draw = ModelServing.armDraw(id);
            assertThat(draw).isBetween(0.0, 1.0).isEqualTo(ModelServing.armDraw(id));
            if (draw < 0.1) {
                inShare++;
                // the exploration draw of the same decision, mapped to [0, 1)
                if (new java.util.Random(OfferPolicy.seedOf(id)).nextDouble() < 0.1) bothLow++;
            }
        }
        assertThat(inShare / (double) n).isCloseTo(0.1, within(0.01));
        assertThat(bothLow / (double) inShare).as("independent of exploration").isCloseTo(0.1, within(0.03));
    }
}
