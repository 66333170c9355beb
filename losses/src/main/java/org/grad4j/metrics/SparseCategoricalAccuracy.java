package org.grad4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code SparseCategoricalAccuracy}: how often the arg-max of the predictions is the integer
 * label. Labels {@code [batch]} or {@code [batch, 1]}, predictions {@code [batch, classes]}.
 */
public class SparseCategoricalAccuracy extends MeanMetricWrapper {
    public SparseCategoricalAccuracy() {
        super("sparse_categorical_accuracy", SparseCategoricalAccuracy::sparseCategoricalAccuracy);
    }

    /**
     * Keras' {@code sparse_categorical_accuracy}.
     *
     * @param yTrue class indices, {@code yPred}'s shape without the class axis (or with it of size 1)
     * @return 1 where the arg-max is the label, e.g. shape {@code [batch]}
     */
    public static INDArray sparseCategoricalAccuracy(INDArray yTrue, INDArray yPred) {
        INDArray labels = MetricInputs.sparseLabels("SparseCategoricalAccuracy", yTrue, yPred, "CategoricalAccuracy");
        int classes = (int) yPred.shape()[yPred.rank() - 1];
        double[] t = MetricInputs.values(labels);
        double[] p = MetricInputs.values(yPred);
        double[] matches = new double[t.length];
        for (int row = 0; row < t.length; row++) {
            matches[row] = t[row] == MetricInputs.argmax(p, row, classes) ? 1 : 0;
        }
        return MetricInputs.create(matches, labels.shape());
    }
}
