package org.grad4j.losses;

import java.util.Arrays;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;

/**
 * Keras' {@code CategoricalCrossentropy}: {@code -sum(y_true * log(p), axis)} for one-hot (or soft)
 * targets. Probabilities are first renormalised along the class axis, then clipped to
 * {@code [1e-7, 1 - 1e-7]}; logits go through the stable fused {@link FusedCrossEntropy#softmaxWithLogits}.
 * For integer class indices use {@link SparseCategoricalCrossentropy}.
 */
public class CategoricalCrossentropy extends LossFunctionWrapper<CategoricalCrossentropy> {
    private final boolean fromLogits;
    private double labelSmoothing;
    private int axis = -1;

    /** y_pred holds probabilities (e.g. a softmax output). */
    public CategoricalCrossentropy() {
        this(false);
    }

    /** @param fromLogits true when y_pred holds logits (no softmax applied), the stable choice */
    public CategoricalCrossentropy(boolean fromLogits) {
        super("categorical_crossentropy");
        this.fromLogits = fromLogits;
    }

    /** Mixes the targets with the uniform distribution: {@code y * (1 - smoothing) + smoothing / classes}; in [0, 1]. */
    public CategoricalCrossentropy labelSmoothing(double smoothing) {
        this.labelSmoothing = Smoothing.require(describe(), smoothing);
        return this;
    }

    /** The class axis; -1 (the last) by default. */
    public CategoricalCrossentropy axis(int axis) {
        this.axis = axis;
        return this;
    }

    /** One-hot labels shaped like the predictions; integer class labels get a hint to the sparse loss. */
    @Override
    public void validateLabels(String where, long[] y, long[] p, Tensor yTrue) {
        if (!Arrays.equals(y, p)) {
            throw new IllegalArgumentException(where + ": " + getClass().getSimpleName() + " needs one-hot labels shaped "
                    + "like the model's output " + Shapes.format(p) + ", got y of shape " + Shapes.format(y)
                    + (y.length < p.length || y.length > 0 && y[y.length - 1] == 1
                    ? "; for integer class labels use SparseCategoricalCrossentropy (or one-hot encode y)" : ""));
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
     * Keras' {@code categorical_crossentropy}.
     *
     * @param yTrue one-hot or soft targets, the shape of {@code yPred}, e.g. {@code [batch, classes]}
     * @param yPred probabilities, or logits when {@code fromLogits}
     * @return {@code yPred}'s shape without {@code axis}, e.g. {@code [batch]}
     */
    public static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred, boolean fromLogits, double labelSmoothing,
            int axis) {
        String loss = "CategoricalCrossentropy";
        Smoothing.require(loss, labelSmoothing);
        Tensor[] in = LossInputs.align(loss, yTrue, yPred);
        Tensor y = in[0];
        Tensor x = in[1];
        if (!Arrays.equals(y.shape(), x.shape())) {
            throw new IllegalArgumentException(mismatch(yTrue.shape(), yPred.shape()));
        }
        LossInputs.requireAxis(loss, x);
        int a = Shapes.normalizeAxis(loss, axis, x.rank());
        if (labelSmoothing > 0) {
            long classes = x.shape()[a];
            y = y.mul(1 - labelSmoothing).add(labelSmoothing / classes);
        }
        return fromLogits ? FusedCrossEntropy.softmaxWithLogits(y, x, a) : ofProbabilities(y, x, a);
    }

    /** {@code -sum(y log(clip(p / sum(p))), axis)}: Keras' probability form, shared with the sparse loss. */
    static Tensor ofProbabilities(Tensor y, Tensor probabilities, int axis) {
        Tensor p = probabilities.div(probabilities.sum(true, axis)).clip(Losses.EPSILON, 1 - Losses.EPSILON);
        return y.mul(p.log()).sum(false, axis).neg();
    }

    private static String mismatch(long[] yTrue, long[] yPred) {
        String message = "CategoricalCrossentropy: y_true shape " + Shapes.format(yTrue) + " does not match y_pred shape "
                + Shapes.format(yPred) + "; it expects one-hot (or soft) targets of y_pred's shape";
        boolean classIndices = yPred.length > 0
                && (Arrays.equals(yTrue, Arrays.copyOf(yPred, yPred.length - 1))
                        || (yTrue.length == yPred.length && yTrue[yTrue.length - 1] == 1
                                && Arrays.equals(Arrays.copyOf(yTrue, yTrue.length - 1), Arrays.copyOf(yPred, yPred.length - 1))));
        if (classIndices) {
            message += ". y_true looks like integer class indices: use SparseCategoricalCrossentropy, or one-hot "
                    + "encode the labels";
        }
        return message;
    }

    @Override
    protected Tensor perSample(Tensor yTrue, Tensor yPred) {
        return categoricalCrossentropy(yTrue, yPred, fromLogits, labelSmoothing, axis);
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("from_logits", fromLogits);
        config.put("label_smoothing", labelSmoothing);
        config.put("axis", axis);
    }
}
