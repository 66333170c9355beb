package org.grad4j.models;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One batch: inputs, targets (null when predicting) and per-sample weights (null for none). */
record Batch(INDArray x, INDArray y, INDArray weights) {
}
