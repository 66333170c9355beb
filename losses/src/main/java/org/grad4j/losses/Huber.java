package org.grad4j.losses;

import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * Keras' {@code Huber}: with {@code e = y_pred - y_true}, per element {@code 0.5 e²} where
 * {@code |e| <= delta} and {@code delta |e| - 0.5 delta²} elsewhere, averaged over the last axis.
 * Quadratic near the target, linear (robust to outliers) far from it.
 */
public class Huber extends LossFunctionWrapper<Huber> {
    private final double delta;

    /** delta = 1.0, Keras' default. */
    public Huber() {
        this(1.0);
    }

    /** @param delta where the quadratic part turns linear; positive */
    public Huber(double delta) {
        super("huber_loss");
        this.delta = requireDelta(delta);
    }

    private static double requireDelta(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("Huber: delta must be a positive finite number, got " + delta);
        }
        return delta;
    }

    public double delta() {
        return delta;
    }

    /**
     * Keras' {@code huber}.
     *
     * @param yTrue the shape of {@code yPred} (up to a trailing axis of size 1)
     * @param yPred e.g. {@code [batch, outputs]}
     * @return {@code yPred}'s shape without the last axis, e.g. {@code [batch]}
     */
    public static Tensor huber(Tensor yTrue, Tensor yPred, double delta) {
        requireDelta(delta);
        Tensor[] in = LossInputs.sameShape("Huber", yTrue, yPred);
        Tensor error = in[1].sub(in[0]);
        Tensor absError = error.abs();
        // Keras' where(|e| <= delta, quadratic, linear) as a constant 0/1 mask: each branch's gradient
        // reaches only its own entries
        Tensor quadraticPart = Tensor.of(absError.array().lte(delta).castTo(error.dataType()));
        Tensor quadratic = error.square().mul(0.5);
        Tensor linear = absError.mul(delta).sub(0.5 * delta * delta);
        return quadratic.mul(quadraticPart).add(linear.mul(quadraticPart.rsub(1.0))).mean(false, -1);
    }

    @Override
    protected Tensor perSample(Tensor yTrue, Tensor yPred) {
        return huber(yTrue, yPred, delta);
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("delta", delta);
    }
}
