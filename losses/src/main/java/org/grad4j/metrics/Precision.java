package org.grad4j.metrics;

/**
 * Keras' {@code Precision}: of the predictions above the threshold (0.5), the (weighted) fraction whose
 * target is positive, {@code tp / (tp + fp)}; 0 before any positive prediction.
 */
public class Precision extends ConfusionCounts {
    /** Threshold 0.5. */
    public Precision() {
        this(null, null, null);
    }

    /** @param threshold a prediction strictly above it counts as positive; in [0, 1] */
    public Precision(double threshold) {
        this(threshold, null, null);
    }

    /**
     * Keras' full constructor.
     *
     * @param thresholds null for 0.5 (or, with {@code topK}, every top-k prediction is positive)
     * @param topK       null, or only the k highest predictions of each sample can be positive
     * @param classId    null, or only this class (index on the last axis) is evaluated
     */
    public Precision(Double thresholds, Integer topK, Integer classId) {
        super("precision", thresholds, topK, classId);
    }

    @Override
    public double result() {
        return divideNoNan(truePositives, truePositives + falsePositives);
    }
}
