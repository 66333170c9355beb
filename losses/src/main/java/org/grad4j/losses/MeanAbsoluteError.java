package org.grad4j.losses;

import org.grad4j.core.Tensor;

/** Keras' {@code MeanAbsoluteError}: per sample {@code mean(abs(y_true - y_pred), axis=-1)}. */
public class MeanAbsoluteError extends LossFunctionWrapper<MeanAbsoluteError> {
    public MeanAbsoluteError() {
        super("mean_absolute_error");
    }

    /**
     * Keras' {@code mean_absolute_error}.
     *
     * @param yTrue the shape of {@code yPred} (up to a trailing axis of size 1)
     * @param yPred e.g. {@code [batch, outputs]}
     * @return {@code yPred}'s shape without the last axis, e.g. {@code [batch]}
     */
    public static Tensor meanAbsoluteError(Tensor yTrue, Tensor yPred) {
        Tensor[] in = LossInputs.sameShape("MeanAbsoluteError", yTrue, yPred);
        return in[1].sub(in[0]).abs().mean(false, -1);
    }

    @Override
    protected Tensor perSample(Tensor yTrue, Tensor yPred) {
        return meanAbsoluteError(yTrue, yPred);
    }
}
