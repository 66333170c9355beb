package org.grad4j.metrics;

import java.util.function.BinaryOperator;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code MeanMetricWrapper}: a metric function of (y_true, y_pred) that gives one value per
 * sample (or finer, e.g. per element), averaged over every batch with the {@link Mean} rules. The
 * accuracies, {@link MeanSquaredError} and {@link MeanAbsoluteError} are such wrappers; wrap your own
 * function the same way: {@code new MeanMetricWrapper("my_metric", (t, p) -> ...)}.
 */
public class MeanMetricWrapper extends Metric {
    private final BinaryOperator<INDArray> fn;
    private final Mean mean = new Mean();

    /**
     * @param fn per-sample values of (y_true cast to y_pred's data type, y_pred); called with recording off
     *           and never given arrays it may modify
     */
    public MeanMetricWrapper(String name, BinaryOperator<INDArray> fn) {
        super(name);
        if (fn == null) {
            throw new IllegalArgumentException("MeanMetricWrapper " + name + ": the metric function is null");
        }
        this.fn = fn;
    }

    @Override
    public final void updateState(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        MetricInputs.requireInputs(describe(), yTrue, yPred);
        INDArray pred = yPred.array();
        INDArray values;
        try (NoGrad scope = NoGrad.enter()) {
            values = fn.apply(MetricInputs.castLike(yTrue.array(), pred), pred);
        }
        mean.accumulate(describe(), values, sampleWeight == null ? null : sampleWeight.array());
    }

    @Override
    public double result() {
        return mean.result();
    }

    @Override
    public void reset() {
        mean.reset();
    }
}
