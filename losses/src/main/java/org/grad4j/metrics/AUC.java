package org.grad4j.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' {@code AUC}: the area under the ROC curve (or the precision-recall curve), approximated from
 * confusion counts at {@code numThresholds} evenly spaced thresholds ({@code -1e-7, 1/(n-1), ..., 1+1e-7}),
 * accumulated over batches. Keras' defaults: 200 thresholds, ROC, interpolation (the trapezoidal rule;
 * for PR, Davis and Goadrich's interpolation). Predictions are probabilities, or logits with
 * {@link #fromLogits(boolean)}. Multi-label AUC is not supported: labels are flattened.
 */
public class AUC extends Metric {
    /** Which curve to integrate. */
    public enum Curve { ROC, PR }

    /** How the area between two thresholds is approximated. */
    public enum SummationMethod {
        /** Trapezoids for ROC; for PR, interpolated true/false positives. */
        INTERPOLATION,
        /** The lower of the two heights. */
        MINORING,
        /** The higher of the two heights. */
        MAJORING
    }

    private final int numThresholds;
    private final Curve curve;
    private SummationMethod summationMethod = SummationMethod.INTERPOLATION;
    private boolean fromLogits;
    private final double[] truePositives;
    private final double[] falsePositives;
    private final double[] trueNegatives;
    private final double[] falseNegatives;

    /** 200 thresholds, ROC curve. */
    public AUC() {
        this(200, Curve.ROC);
    }

    /** @param numThresholds more than 1; more gives a finer approximation */
    public AUC(int numThresholds) {
        this(numThresholds, Curve.ROC);
    }

    public AUC(int numThresholds, Curve curve) {
        super("auc");
        if (numThresholds <= 1) {
            throw new IllegalArgumentException("AUC: num_thresholds must be > 1, got " + numThresholds);
        }
        if (curve == null) {
            throw new IllegalArgumentException("AUC: curve must be ROC or PR, got null");
        }
        // num_thresholds may come from a model file's compile_config: check the four arrays fit before making them
        MemoryBudget.reserve("AUC", "confusion counts", new long[] {4, numThresholds}, DataType.DOUBLE);
        this.numThresholds = numThresholds;
        this.curve = curve;
        truePositives = new double[numThresholds];
        falsePositives = new double[numThresholds];
        trueNegatives = new double[numThresholds];
        falseNegatives = new double[numThresholds];
    }

    public AUC summationMethod(SummationMethod method) {
        if (method == null) {
            throw new IllegalArgumentException(describe() + ": summation method must not be null");
        }
        this.summationMethod = method;
        return this;
    }

    /** True when predictions are logits: a sigmoid is applied before thresholding. */
    public AUC fromLogits(boolean fromLogits) {
        this.fromLogits = fromLogits;
        return this;
    }

    public int numThresholds() {
        return numThresholds;
    }

    public Curve curve() {
        return curve;
    }

    public SummationMethod summationMethod() {
        return summationMethod;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    /** @param yTrue 0/1 targets (any non-zero is positive), y_pred's shape up to a trailing axis of size 1 */
    @Override
    public void updateState(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        ConfusionInputs in = ConfusionInputs.of(describe(), yTrue, yPred, sampleWeight, null, null);
        // Keras' bucket form for evenly spaced thresholds: a prediction p is above thresholds
        // 0..b with b = ceil(p * (n-1)) - 1 (and above -1e-7 even at p = 0), computed in y_pred's precision
        double[] positiveBuckets = new double[numThresholds];
        double[] negativeBuckets = new double[numThresholds];
        double positives = 0;
        double negatives = 0;
        for (int i = 0; i < in.predictions().length; i++) {
            double p = in.predictions()[i];
            if (fromLogits) {
                p = 1 / (1 + Math.exp(-p));
            }
            p = Math.min(Math.max(p, 0.0), 1.0);
            double scaled = in.float32() ? (double) ((float) p * (float) (numThresholds - 1)) : p * (numThresholds - 1);
            int bucket = Math.max(0, (int) Math.ceil(scaled) - 1);
            double w = in.weights()[i];
            if (in.positive()[i]) {
                positiveBuckets[bucket] += w;
                positives += w;
            } else {
                negativeBuckets[bucket] += w;
                negatives += w;
            }
        }
        double tp = 0;
        double fp = 0;
        for (int t = numThresholds - 1; t >= 0; t--) {
            tp += positiveBuckets[t];
            fp += negativeBuckets[t];
            truePositives[t] += tp;
            falsePositives[t] += fp;
            falseNegatives[t] += positives - tp;
            trueNegatives[t] += negatives - fp;
        }
    }

    @Override
    public double result() {
        int n = numThresholds;
        if (curve == Curve.PR && summationMethod == SummationMethod.INTERPOLATION) {
            return interpolatePrAuc();
        }
        double[] x = new double[n];
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            double recall = divideNoNan(truePositives[t], truePositives[t] + falseNegatives[t]);
            if (curve == Curve.ROC) {
                x[t] = divideNoNan(falsePositives[t], falsePositives[t] + trueNegatives[t]);
                y[t] = recall;
            } else {
                x[t] = recall;
                y[t] = divideNoNan(truePositives[t], truePositives[t] + falsePositives[t]);
            }
        }
        double area = 0;
        for (int t = 0; t < n - 1; t++) {
            double height;
            switch (summationMethod) {
                case MINORING:
                    height = Math.min(y[t], y[t + 1]);
                    break;
                case MAJORING:
                    height = Math.max(y[t], y[t + 1]);
                    break;
                default:
                    height = (y[t] + y[t + 1]) / 2;
            }
            area += (x[t] - x[t + 1]) * height;
        }
        return area;
    }

    /**
     * Davis and Goadrich (2006): between two thresholds precision is interpolated through the true and
     * false positives, not linearly, as Keras' {@code interpolate_pr_auc}.
     */
    private double interpolatePrAuc() {
        double area = 0;
        for (int t = 0; t < numThresholds - 1; t++) {
            double dtp = truePositives[t] - truePositives[t + 1];
            double p0 = truePositives[t] + falsePositives[t];
            double p1 = truePositives[t + 1] + falsePositives[t + 1];
            double dp = p0 - p1;
            double slope = divideNoNan(dtp, Math.max(dp, 0));
            double intercept = truePositives[t + 1] - slope * p1;
            double ratio = p0 > 0 && p1 > 0 ? divideNoNan(p0, Math.max(p1, 0)) : 1.0;
            area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)),
                    Math.max(truePositives[t + 1] + falseNegatives[t + 1], 0));
        }
        return area;
    }

    private static double divideNoNan(double a, double b) {
        return b == 0 ? 0.0 : a / b;
    }

    @Override
    public void reset() {
        Arrays.fill(truePositives, 0);
        Arrays.fill(falsePositives, 0);
        Arrays.fill(trueNegatives, 0);
        Arrays.fill(falseNegatives, 0);
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("num_thresholds", numThresholds);
        config.put("curve", curve.name());
        config.put("summation_method", summationMethod.name().toLowerCase(Locale.ROOT));
        config.put("multi_label", false);
        config.put("from_logits", fromLogits);
    }
}
