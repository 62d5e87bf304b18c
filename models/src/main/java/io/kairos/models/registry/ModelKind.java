package io.kairos.models.registry;

/** What a stored model predicts, which decides how its files are read back. */
public enum ModelKind {
    /** Offer response and uplift ({@code io.kairos.models.uplift.UpliftModel}). */
    UPLIFT,
    /** BG/NBD customer lifecycle ({@code io.kairos.models.lifecycle.BgNbdModel}). */
    LIFECYCLE,
    /** Log-log price elasticity ({@code io.kairos.models.demand.DemandModel}). */
    DEMAND
}
