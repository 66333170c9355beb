package org.grad4j.metrics;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code TopKCategoricalAccuracy}: how often the target class (arg-max of the one-hot targets)
 * is among the k highest predictions; ties at the k-th score count as hits, as in TensorFlow's
 * {@code in_top_k}.
 */
public class TopKCategoricalAccuracy extends MeanMetricWrapper {
    private final int k;

    /** k = 5, Keras' default. */
    public TopKCategoricalAccuracy() {
        this(5);
    }

    public TopKCategoricalAccuracy(int k) {
        super("top_k_categorical_accuracy", (t, p) -> topKCategoricalAccuracy(t, p, k));
        this.k = requireK("TopKCategoricalAccuracy", k);
    }

    static int requireK(String metric, int k) {
        if (k < 1) {
            throw new IllegalArgumentException(metric + ": k must be at least 1, got " + k);
        }
        return k;
    }

    public int k() {
        return k;
    }

    /**
     * Keras' {@code top_k_categorical_accuracy}.
     *
     * @param yTrue one-hot targets, the shape of {@code yPred}, e.g. {@code [batch, classes]}
     * @return 1 where the target is in the top k, shape {@code [batch]}
     */
    public static INDArray topKCategoricalAccuracy(INDArray yTrue, INDArray yPred, int k) {
        requireK("TopKCategoricalAccuracy", k);
        MetricInputs.requireDense("TopKCategoricalAccuracy", yTrue, yPred, "SparseTopKCategoricalAccuracy");
        int classes = (int) yPred.shape()[yPred.rank() - 1];
        double[] t = MetricInputs.values(yTrue);
        double[] p = MetricInputs.values(yPred);
        double[] matches = new double[t.length / classes];
        for (int row = 0; row < matches.length; row++) {
            matches[row] = MetricInputs.inTopK(p, row, classes, MetricInputs.argmax(t, row, classes), k) ? 1 : 0;
        }
        return MetricInputs.create(matches, MetricInputs.withoutLast(yPred.shape()));
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("k", k);
    }
}
