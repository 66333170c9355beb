package org.grad4j.metrics;

import org.grad4j.core.Tensor;

/**
 * Keras' {@code MeanAbsoluteError} metric: the per-sample {@code mean(abs(y_true - y_pred), axis=-1)} of
 * the loss of the same name, averaged over every batch. With weights it divides by their sum.
 */
public class MeanAbsoluteError extends MeanMetricWrapper {
    public MeanAbsoluteError() {
        // MeanMetricWrapper calls this with recording off: the Tensor ops build no graph
        super("mean_absolute_error",
                (t, p) -> org.grad4j.losses.MeanAbsoluteError.meanAbsoluteError(Tensor.of(t), Tensor.of(p)).array());
    }
}
