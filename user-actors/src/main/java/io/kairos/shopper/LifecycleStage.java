package io.kairos.shopper;

import io.kairos.wire.WireName;

/** Where a shopper stands in the customer lifecycle: new → active → repeat → declining → dormant → churned. */
public enum LifecycleStage implements WireName {
    NEW,
    ACTIVE,
    REPEAT,
    DECLINING,
    DORMANT,
    CHURNED
}
