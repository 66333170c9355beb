package org.grad4j.metrics;

import org.grad4j.core.Tensor;

/**
 * Keras' {@code MeanSquaredError} metric: the per-sample {@code mean(square(y_true - y_pred), axis=-1)}
 * of the loss of the same name, averaged over every batch. With weights it divides by their sum (the
 * loss divides by the batch size).
 */
public class MeanSquaredError extends MeanMetricWrapper {
    public MeanSquaredError() {
        // MeanMetricWrapper calls this with recording off: the Tensor ops build no graph
        super("mean_squared_error",
                (t, p) -> org.grad4j.losses.MeanSquaredError.meanSquaredError(Tensor.of(t), Tensor.of(p)).array());
    }
}
