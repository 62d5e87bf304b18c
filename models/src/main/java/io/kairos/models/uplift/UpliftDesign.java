package io.kairos.models.uplift;

/**
 * How conversion with and without an offer is learned.
 *
 * <ul>
 *   <li>{@link #TWO_MODEL} ("T-learner"): one model of P(convert | shopper) on control rows and one of P(convert |
 *       shopper, offer) on treated rows; uplift is their difference.
 *   <li>{@link #SINGLE_MODEL} ("S-learner"): one model of P(convert | shopper, offer, treated) on all rows, asked
 *       twice.
 * </ul>
 */
public enum UpliftDesign {
    TWO_MODEL,
    SINGLE_MODEL
}
