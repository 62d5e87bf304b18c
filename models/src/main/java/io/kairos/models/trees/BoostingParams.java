package io.kairos.models.trees;

/**
 * Hyper-parameters of one gradient-boosted tree model. Defaults are the ones measured best for uplift on the Hillstrom
 * experiment (see the module README); every field is exposed on the command line.
 *
 * @param rounds boosting rounds (trees)
 * @param maxDepth maximum tree depth
 * @param eta learning rate
 * @param minChildWeight minimum hessian (weighted) mass in a leaf
 * @param subsample row subsampling per tree, in (0, 1]
 * @param lambda L2 regularisation on leaf weights
 * @param seed random seed (subsampling)
 */
public record BoostingParams(
        int rounds, int maxDepth, double eta, double minChildWeight, double subsample, double lambda, long seed) {

    public BoostingParams {
        if (rounds < 1
                || maxDepth < 1
                || !(eta > 0)
                || minChildWeight < 0
                || !(subsample > 0 && subsample <= 1)
                || lambda < 0) {
            throw new IllegalArgumentException("invalid boosting parameters: " + this);
        }
    }

    public static BoostingParams defaults() {
        return new BoostingParams(200, 3, 0.05, 5, 0.8, 1, 42);
    }

    public BoostingParams withSeed(long s) {
        return new BoostingParams(rounds, maxDepth, eta, minChildWeight, subsample, lambda, s);
    }

    public BoostingParams withRounds(int r) {
        return new BoostingParams(r, maxDepth, eta, minChildWeight, subsample, lambda, seed);
    }
}
