package org.grad4j.metrics;

import java.util.Arrays;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.losses.internal.RankAlignment;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code BinaryAccuracy}: how often {@code y_pred > threshold} (strictly) agrees with the 0/1
 * targets, element by element.
 */
public class BinaryAccuracy extends MeanMetricWrapper {
    private final double threshold;

    /** threshold 0.5, Keras' default. */
    public BinaryAccuracy() {
        this(0.5);
    }

    /** @param threshold a prediction strictly above it means class 1 */
    public BinaryAccuracy(double threshold) {
        super("binary_accuracy", (t, p) -> binaryAccuracy(t, p, threshold));
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("BinaryAccuracy: threshold must be a number, got NaN");
        }
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    /**
     * Keras' {@code binary_accuracy}.
     *
     * @param yTrue 0/1 targets, the shape of {@code yPred} (up to a trailing axis of size 1)
     * @param yPred probabilities (or scores compared with {@code threshold}), e.g. {@code [batch, 1]}
     * @return 1 where the decision matches, the aligned shape
     */
    public static INDArray binaryAccuracy(INDArray yTrue, INDArray yPred, double threshold) {
        INDArray[] in = RankAlignment.squeezeOrExpand(MetricInputs.castLike(yTrue, yPred), yPred, true);
        if (!Arrays.equals(in[0].shape(), in[1].shape())) {
            throw new IllegalArgumentException("BinaryAccuracy: y_true shape " + Shapes.format(yTrue.shape())
                    + " and y_pred shape " + Shapes.format(yPred.shape()) + " differ; they must be equal "
                    + "(up to a trailing axis of size 1)");
        }
        double cut = MetricInputs.threshold(threshold, yPred);
        double[] t = MetricInputs.values(in[0]);
        double[] p = MetricInputs.values(in[1]);
        double[] matches = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            matches[i] = t[i] == (p[i] > cut ? 1.0 : 0.0) ? 1 : 0;
        }
        return MetricInputs.create(matches, in[1].shape());
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("threshold", threshold);
    }
}
