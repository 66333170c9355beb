package org.grad4j.metrics;

/**
 * Keras' {@code Recall}: of the positive targets, the (weighted) fraction predicted above the threshold
 * (0.5), {@code tp / (tp + fn)}; 0 before any positive target.
 */
public class Recall extends ConfusionCounts {
    /** Threshold 0.5. */
    public Recall() {
        this(null, null, null);
    }

    /** @param threshold a prediction strictly above it counts as positive; in [0, 1] */
    public Recall(double threshold) {
        this(threshold, null, null);
    }

    /**
     * Keras' full constructor.
     *
     * @param thresholds null for 0.5 (or, with {@code topK}, every top-k prediction is positive)
     * @param topK       null, or only the k highest predictions of each sample can be positive
     * @param classId    null, or only this class (index on the last axis) is evaluated
     */
    public Recall(Double thresholds, Integer topK, Integer classId) {
        super("recall", thresholds, topK, classId);
    }

    @Override
    public double result() {
        return divideNoNan(truePositives, truePositives + falseNegatives);
    }
}
