package org.grad4j.losses;

import org.grad4j.core.Tensor;

/** Keras' {@code MeanSquaredError}: per sample {@code mean(square(y_true - y_pred), axis=-1)}. */
public class MeanSquaredError extends LossFunctionWrapper<MeanSquaredError> {
    public MeanSquaredError() {
        super("mean_squared_error");
    }

    /**
     * Keras' {@code mean_squared_error}.
     *
     * @param yTrue the shape of {@code yPred} (up to a trailing axis of size 1)
     * @param yPred e.g. {@code [batch, outputs]}
     * @return {@code yPred}'s shape without the last axis, e.g. {@code [batch]}
     */
    public static Tensor meanSquaredError(Tensor yTrue, Tensor yPred) {
        Tensor[] in = LossInputs.sameShape("MeanSquaredError", yTrue, yPred);
        return in[0].sub(in[1]).square().mean(false, -1);
    }

    @Override
    protected Tensor perSample(Tensor yTrue, Tensor yPred) {
        return meanSquaredError(yTrue, yPred);
    }
}
