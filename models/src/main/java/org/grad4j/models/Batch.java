package org.grad4j.models;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch: inputs, targets (null when predicting), per-sample weights (null for none) and a per-sample
 * labels mask {@code [batch]} (null for none), from an ND4J DataSet: masked samples count for nothing in the
 * loss, its mean and the metrics.
 */
record Batch(INDArray x, INDArray y, INDArray weights, INDArray mask) {

    Batch(INDArray x, INDArray y, INDArray weights) {
        this(x, y, weights, null);
    }
}
