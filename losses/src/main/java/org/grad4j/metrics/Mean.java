package org.grad4j.metrics;

import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code Mean}: the (weighted) mean of every value given to {@link #updateState(Tensor)} since the
 * last reset, e.g. the running loss of an epoch. Values finer than the weights are first averaged down
 * to the weights' rank; each sample then counts with its weight (or 1), so the result is
 * {@code sum(value * weight) / sum(weight)}.
 */
public class Mean extends Metric {
    private double total;
    private double count;

    public Mean() {
        this("mean");
    }

    /** @param name e.g. {@code loss}, the running loss of an epoch */
    public Mean(String name) {
        super("mean");
        name(name);
    }

    /** Folds in values of any shape; each sample (first axis) counts once. */
    public void updateState(Tensor values) {
        updateState(values, (Tensor) null);
    }

    /** Folds in one value, e.g. a batch's loss. */
    public void updateState(double value) {
        updateState(value, 1.0);
    }

    /** Adds one value with a weight (Keras' loss tracker adds each batch's loss weighted by its size). */
    public void updateState(double value, double weight) {
        total += value * weight;
        count += weight;
    }

    /**
     * Folds in values with weights, as Keras' {@code Mean.update_state(values, sample_weight)}. (This
     * takes the place of {@link Metric#updateState(Tensor, Tensor)}: a Mean has values, not targets and
     * predictions.)
     *
     * @param values       e.g. {@code [batch]} or {@code [batch, ...]}
     * @param sampleWeight null, a scalar, or weights that broadcast to the values, e.g. {@code [batch]}
     */
    @Override
    public void updateState(Tensor values, Tensor sampleWeight) {
        if (values == null) {
            throw new IllegalArgumentException(describe() + ": values are null");
        }
        if (Samplewise.isSmall(values, sampleWeight)) {
            add(Samplewise.unweightedSmall(values));
            return;
        }
        accumulate(describe(), values.array(), sampleWeight == null ? null : sampleWeight.array());
    }

    /** Not for a Mean, which averages values: call {@link #updateState(Tensor, Tensor)}. */
    @Override
    public void updateState(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        throw new UnsupportedOperationException(describe() + ": a Mean averages values, it has no y_true/y_pred; "
                + "call updateState(values) or updateState(values, sampleWeight), or use MeanMetricWrapper");
    }

    /** Adds one batch; the totals are computed (and checked) before the state changes. */
    void accumulate(String what, INDArray values, INDArray weights) {
        add(Samplewise.of(what, values, weights));
    }

    private void add(Samplewise.Totals batch) {
        total += batch.total();
        count += batch.count();
    }

    @Override
    public double result() {
        return count == 0 ? 0.0 : total / count;
    }

    @Override
    public void reset() {
        total = 0;
        count = 0;
    }
}
