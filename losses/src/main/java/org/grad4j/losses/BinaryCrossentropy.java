package org.grad4j.losses;

import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;

/**
 * Keras' {@code BinaryCrossentropy}: the element-wise binary cross-entropy averaged over {@code axis}
 * (the last by default). Probabilities are clipped to {@code [1e-7, 1 - 1e-7]} in y_pred's own precision
 * (in float32, {@code 1 - 1e-7} is 0.99999988); logits go through the stable fused
 * {@link FusedCrossEntropy#sigmoidWithLogits}, without clipping.
 */
public class BinaryCrossentropy extends LossFunctionWrapper<BinaryCrossentropy> {
    private final boolean fromLogits;
    private double labelSmoothing;
    private int axis = -1;

    /** y_pred holds probabilities. */
    public BinaryCrossentropy() {
        this(false);
    }

    /** @param fromLogits true when y_pred holds logits (no sigmoid applied), the stable choice */
    public BinaryCrossentropy(boolean fromLogits) {
        super("binary_crossentropy");
        this.fromLogits = fromLogits;
    }

    /** Squeezes the targets towards 0.5: {@code y * (1 - smoothing) + 0.5 * smoothing}; in [0, 1]. */
    public BinaryCrossentropy labelSmoothing(double smoothing) {
        this.labelSmoothing = Smoothing.require(describe(), smoothing);
        return this;
    }

    /** The axis averaged per sample; -1 (the last) by default. */
    public BinaryCrossentropy axis(int axis) {
        this.axis = axis;
        return this;
    }

    /** Labels shaped like the predictions, or without their trailing axis of one output. */
    @Override
    public void validateLabels(String where, long[] y, long[] p, Tensor yTrue) {
        long outputs = p.length == 0 ? 1 : p[p.length - 1];
        if (!java.util.Arrays.equals(y, p) && !(y.length == p.length - 1 && outputs == 1)) {
            throw new IllegalArgumentException(where + ": " + getClass().getSimpleName() + " needs labels shaped like the "
                    + "model's output " + Shapes.format(p) + ", got y of shape " + Shapes.format(y));
        }
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    public int axis() {
        return axis;
    }

    /**
     * Keras' {@code binary_crossentropy}.
     *
     * @param yTrue targets in [0, 1], the shape of {@code yPred} (up to a trailing axis of size 1)
     * @param yPred probabilities, or logits when {@code fromLogits}; e.g. {@code [batch, outputs]}
     * @return {@code yPred}'s shape without {@code axis}, e.g. {@code [batch]}
     */
    public static Tensor binaryCrossentropy(Tensor yTrue, Tensor yPred, boolean fromLogits, double labelSmoothing,
            int axis) {
        Smoothing.require("BinaryCrossentropy", labelSmoothing);
        Tensor[] in = LossInputs.sameShape("BinaryCrossentropy", yTrue, yPred);
        Tensor y = in[0];
        Tensor x = in[1];
        int a = Shapes.normalizeAxis("BinaryCrossentropy", axis, x.rank());
        if (labelSmoothing > 0) {
            y = y.mul(1 - labelSmoothing).add(0.5 * labelSmoothing);
        }
        Tensor elementwise;
        if (fromLogits) {
            elementwise = FusedCrossEntropy.sigmoidWithLogits(y, x);
        } else {
            Tensor p = x.clip(Losses.EPSILON, 1 - Losses.EPSILON);
            elementwise = y.mul(p.log()).add(y.rsub(1.0).mul(p.rsub(1.0).log())).neg();
        }
        return elementwise.mean(false, a);
    }

    @Override
    protected Tensor perSample(Tensor yTrue, Tensor yPred) {
        return binaryCrossentropy(yTrue, yPred, fromLogits, labelSmoothing, axis);
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("from_logits", fromLogits);
        config.put("label_smoothing", labelSmoothing);
        config.put("axis", axis);
    }
}
