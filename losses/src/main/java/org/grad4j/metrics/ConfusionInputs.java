package org.grad4j.metrics;

import java.util.Arrays;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.losses.internal.RankAlignment;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inputs of the confusion-matrix metrics ({@link Precision}, {@link Recall}, {@link AUC}) prepared
 * as Keras' {@code update_confusion_matrix_variables} does, then flattened: every element is one
 * binary decision.
 *
 * @param positive    per element, whether the target is positive (any non-zero label)
 * @param predictions per element, the prediction
 * @param weights     per element, its weight (all 1 without sample weights)
 * @param float32     whether y_pred was float32, whose precision the thresholds then take
 */
record ConfusionInputs(boolean[] positive, double[] predictions, double[] weights, boolean float32) {
    /** Keras' NEG_INF: the threshold that keeps exactly the top-k predictions. */
    static final double NEG_INF = -1e10;

    /**
     * @param topK    null, or keep only the k highest predictions of each row (others become NEG_INF)
     * @param classId null, or look only at this class (the last axis' index)
     */
    static ConfusionInputs of(String metric, Tensor yTrue, Tensor yPred, Tensor sampleWeight, Integer topK,
            Integer classId) {
        MetricInputs.requireInputs(metric, yTrue, yPred);
        INDArray pred = yPred.array();
        INDArray[] in = RankAlignment.squeezeOrExpand(pred, MetricInputs.castLike(yTrue.array(), pred), true);
        pred = in[0];
        INDArray labels = in[1];
        if (!Arrays.equals(pred.shape(), labels.shape())) {
            throw new IllegalArgumentException(metric + ": y_true shape " + Shapes.format(yTrue.shape())
                    + " and y_pred shape " + Shapes.format(yPred.shape()) + " differ; they must be equal "
                    + "(up to a trailing axis of size 1)");
        }
        long[] shape = pred.shape();
        double[] p = MetricInputs.values(pred);
        double[] t = MetricInputs.values(labels);
        double[] w = weights(metric, sampleWeight, labels, shape);
        int classes = shape.length == 0 ? 1 : (int) shape[shape.length - 1];
        if (topK != null) {
            keepTopK(p, classes, topK);
        }
        if (classId != null) {
            if (shape.length < 2 || classId < 0 || classId >= classes) {
                throw new IllegalArgumentException(metric + ": class_id " + classId + " needs y_pred of shape "
                        + "[batch, classes] with more than " + classId + " classes, got " + Shapes.format(shape));
            }
            p = column(p, classes, classId);
            t = column(t, classes, classId);
            w = column(w, classes, classId);
        }
        boolean[] positive = new boolean[t.length];
        for (int i = 0; i < t.length; i++) {
            positive[i] = t[i] != 0;
        }
        return new ConfusionInputs(positive, p, w, yPred.dataType() == DataType.FLOAT);
    }

    /**
     * Keras aligns the weights with the labels after giving them a trailing axis, so weights
     * {@code [batch]} weigh whole samples, then broadcasts them to y_pred's shape.
     */
    private static double[] weights(String metric, Tensor sampleWeight, INDArray labels, long[] shape) {
        double[] w = new double[Math.toIntExact(Shapes.size(shape))];
        if (sampleWeight == null) {
            Arrays.fill(w, 1.0);
            return w;
        }
        INDArray sw = sampleWeight.array().castTo(DataType.DOUBLE);
        sw = sw.reshape('c', withTrailingOne(sw.shape()));
        sw = RankAlignment.squeezeOrExpand(labels, sw, false)[1];
        if (!Shapes.broadcastsTo(sw.shape(), shape)) {
            throw new IllegalArgumentException(metric + ": sample_weight shape " + Shapes.format(sampleWeight.shape())
                    + " does not broadcast to y_pred shape " + Shapes.format(shape) + "; give one weight per sample, "
                    + "e.g. [batch]");
        }
        try (NoGrad scope = NoGrad.enter()) {
            return Tensor.of(sw).broadcastTo(shape).toDoubleArray();
        }
    }

    private static long[] withTrailingOne(long[] shape) {
        long[] out = Arrays.copyOf(shape, shape.length + 1);
        out[shape.length] = 1;
        return out;
    }

    /** Keras' {@code _filter_top_k}: per row, the k highest stay (ties: lower index first), others NEG_INF. */
    private static void keepTopK(double[] p, int classes, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top_k must be at least 1, got " + k);
        }
        Integer[] order = new Integer[classes];
        for (int base = 0; base < p.length; base += classes) {
            for (int c = 0; c < classes; c++) {
                order[c] = c;
            }
            int row = base;
            Arrays.sort(order, (a, b) -> Double.compare(p[row + b], p[row + a]));
            for (int r = k; r < classes; r++) {
                p[row + order[r]] = NEG_INF;
            }
        }
    }

    private static double[] column(double[] data, int classes, int column) {
        double[] out = new double[data.length / classes];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i * classes + column];
        }
        return out;
    }

    /** A threshold in y_pred's precision (see {@link MetricInputs#threshold}). */
    double cut(double threshold) {
        return float32 ? (double) (float) threshold : threshold;
    }
}
