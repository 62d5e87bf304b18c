package io.kairos.pricing;

import io.kairos.serialization.CborSerializable;

/**
 * What is believed about a SKU's demand before it has been observed: the price elasticity around the list price and the
 * units sold per product view at the list price, each with its spread. A new SKU starts from this instead of from
 * nothing; data overrides it as it accumulates.
 *
 * <p>The prior in force is recorded in the {@code Configured} event, so a replay never asks a model again.
 *
 * @param elasticity d log(units per view) / d log(price) at the list price; negative for ordinary goods
 * @param baseDemand units sold per view at the list price
 * @param elasticitySd standard deviation of the elasticity belief
 * @param baseDemandLogSd standard deviation of the belief about log(baseDemand)
 * @param source where the numbers came from, e.g. a model name and version, or "settings"
 */
public record DemandPrior(
        double elasticity, double baseDemand, double elasticitySd, double baseDemandLogSd, String source)
        implements CborSerializable {}
