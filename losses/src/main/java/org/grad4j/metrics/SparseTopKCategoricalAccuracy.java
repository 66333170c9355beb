package org.grad4j.metrics;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code SparseTopKCategoricalAccuracy}: how often the integer label is among the k highest
 * predictions (ties at the k-th score count as hits). With {@code fromSortedIds}, y_pred already holds
 * class ids sorted by score and the first k are searched.
 */
public class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
    private final int k;
    private final boolean fromSortedIds;

    /** k = 5, Keras' default. */
    public SparseTopKCategoricalAccuracy() {
        this(5);
    }

    public SparseTopKCategoricalAccuracy(int k) {
        this(k, false);
    }

    /** @param fromSortedIds y_pred holds class ids, best first, instead of scores */
    public SparseTopKCategoricalAccuracy(int k, boolean fromSortedIds) {
        super("sparse_top_k_categorical_accuracy", (t, p) -> sparseTopKCategoricalAccuracy(t, p, k, fromSortedIds));
        this.k = TopKCategoricalAccuracy.requireK("SparseTopKCategoricalAccuracy", k);
        this.fromSortedIds = fromSortedIds;
    }

    public int k() {
        return k;
    }

    public boolean fromSortedIds() {
        return fromSortedIds;
    }

    /**
     * Keras' {@code sparse_top_k_categorical_accuracy}. Labels are truncated to integers, as Keras' cast
     * to int32 does; a label outside {@code [0, classes)} is never a hit.
     *
     * @param yTrue class indices, {@code yPred}'s shape without the class axis (or with it of size 1)
     * @return 1 where the label is in the top k, e.g. shape {@code [batch]}
     */
    public static INDArray sparseTopKCategoricalAccuracy(INDArray yTrue, INDArray yPred, int k, boolean fromSortedIds) {
        TopKCategoricalAccuracy.requireK("SparseTopKCategoricalAccuracy", k);
        INDArray labels = MetricInputs.sparseLabels("SparseTopKCategoricalAccuracy", yTrue, yPred,
                "TopKCategoricalAccuracy");
        int classes = (int) yPred.shape()[yPred.rank() - 1];
        double[] t = MetricInputs.values(labels);
        double[] p = MetricInputs.values(yPred);
        double[] matches = new double[t.length];
        for (int row = 0; row < t.length; row++) {
            long label = (long) t[row];
            if (fromSortedIds) {
                for (int c = 0; c < Math.min(k, classes); c++) {
                    if (p[row * classes + c] == label) {
                        matches[row] = 1;
                        break;
                    }
                }
            } else {
                matches[row] = MetricInputs.inTopK(p, row, classes, label, k) ? 1 : 0;
            }
        }
        return MetricInputs.create(matches, labels.shape());
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("k", k);
        config.put("from_sorted_ids", fromSortedIds);
    }
}
