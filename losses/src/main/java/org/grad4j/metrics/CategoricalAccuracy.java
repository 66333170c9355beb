package org.grad4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code CategoricalAccuracy}: how often the arg-max of the predictions is the arg-max of the
 * one-hot targets. Logits work as well as probabilities: only the order matters.
 */
public class CategoricalAccuracy extends MeanMetricWrapper {
    public CategoricalAccuracy() {
        super("categorical_accuracy", CategoricalAccuracy::categoricalAccuracy);
    }

    /**
     * Keras' {@code categorical_accuracy}.
     *
     * @param yTrue one-hot targets, the shape of {@code yPred}, e.g. {@code [batch, classes]}
     * @return 1 where the arg-maxes agree, shape {@code [batch]}
     */
    public static INDArray categoricalAccuracy(INDArray yTrue, INDArray yPred) {
        MetricInputs.requireDense("CategoricalAccuracy", yTrue, yPred, "SparseCategoricalAccuracy");
        int classes = (int) yPred.shape()[yPred.rank() - 1];
        double[] t = MetricInputs.values(yTrue);
        double[] p = MetricInputs.values(yPred);
        double[] matches = new double[t.length / classes];
        for (int row = 0; row < matches.length; row++) {
            matches[row] = MetricInputs.argmax(t, row, classes) == MetricInputs.argmax(p, row, classes) ? 1 : 0;
        }
        return MetricInputs.create(matches, MetricInputs.withoutLast(yPred.shape()));
    }
}
