package org.grad4j.metrics;

import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * The shared part of {@link Precision} and {@link Recall}: weighted counts of true/false
 * positives/negatives at one threshold (a prediction strictly above it is positive), optionally only
 * for the top-k predictions or one class, as Keras' confusion metrics.
 */
abstract class ConfusionCounts extends Metric {
    private final Double thresholds;
    private final Integer topK;
    private final Integer classId;
    private final double threshold;
    double truePositives;
    double falsePositives;
    double trueNegatives;
    double falseNegatives;

    ConfusionCounts(String name, Double thresholds, Integer topK, Integer classId) {
        super(name);
        if (thresholds != null && !(thresholds >= 0 && thresholds <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": threshold must be in [0, 1], got " + thresholds);
        }
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": top_k must be at least 1, got " + topK);
        }
        if (classId != null && classId < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": class_id must be >= 0, got " + classId);
        }
        this.thresholds = thresholds;
        this.topK = topK;
        this.classId = classId;
        // with top_k every kept prediction counts as positive, as in Keras
        this.threshold = thresholds != null ? thresholds : topK != null ? ConfusionInputs.NEG_INF : 0.5;
    }

    /** The threshold in use: 0.5 by default (Keras' NEG_INF with top-k and no threshold). */
    public double threshold() {
        return threshold;
    }

    public Integer topK() {
        return topK;
    }

    public Integer classId() {
        return classId;
    }

    /** @param yTrue 0/1 targets (any non-zero is positive), y_pred's shape up to a trailing axis of size 1 */
    @Override
    public void updateState(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        ConfusionInputs in = ConfusionInputs.of(describe(), yTrue, yPred, sampleWeight, topK, classId);
        double cut = in.cut(threshold);
        double tp = 0;
        double fp = 0;
        double tn = 0;
        double fn = 0;
        for (int i = 0; i < in.predictions().length; i++) {
            boolean predictedPositive = in.predictions()[i] > cut;
            double w = in.weights()[i];
            if (in.positive()[i]) {
                tp += predictedPositive ? w : 0;
                fn += predictedPositive ? 0 : w;
            } else {
                fp += predictedPositive ? w : 0;
                tn += predictedPositive ? 0 : w;
            }
        }
        truePositives += tp;
        falsePositives += fp;
        trueNegatives += tn;
        falseNegatives += fn;
    }

    /** Keras' {@code divide_no_nan}. */
    static double divideNoNan(double a, double b) {
        return b == 0 ? 0.0 : a / b;
    }

    @Override
    public void reset() {
        truePositives = 0;
        falsePositives = 0;
        trueNegatives = 0;
        falseNegatives = 0;
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("thresholds", thresholds);
        config.put("top_k", topK);
        config.put("class_id", classId);
    }
}
