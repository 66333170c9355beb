package org.grad4j.models;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch as {@link Model#trainStep} and {@link Model#testStep} get it (Keras' {@code data}): inputs
 * {@code x [batch, ...]}, targets {@code y [batch, ...]} (null when predicting), per-sample weights
 * {@code sampleWeight [batch]} (null for none; from {@code classWeight}) and a per-sample labels mask
 * {@code mask [batch]} (null for none; from an ND4J DataSet): masked samples count for nothing in the loss,
 * its mean and the metrics. The arrays are in the model's floating type.
 *
 * <p>The arrays are valid for the step they are given to, as the step's own arrays are: a shuffled {@code fit} on
 * arrays gathers each batch into the memory of the one before it. A {@code trainStep} that keeps a batch past its
 * step keeps a copy ({@code dup()}).
 */
public record Batch(INDArray x, INDArray y, INDArray sampleWeight, INDArray mask) {

    /** A batch without a labels mask. */
    public Batch(INDArray x, INDArray y, INDArray sampleWeight) {
        this(x, y, sampleWeight, null);
    }
}
