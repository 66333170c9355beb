package org.grad4j.metrics;

import java.util.Arrays;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Input checks and array helpers shared by the metric functions. */
final class MetricInputs {
    private MetricInputs() {
    }

    static void requireInputs(String metric, Tensor yTrue, Tensor yPred) {
        if (yTrue == null || yPred == null) {
            throw new IllegalArgumentException(metric + ": " + (yTrue == null ? "y_true" : "y_pred") + " is null");
        }
    }

    /** {@code a} in the data type of {@code like} (Keras casts y_true to y_pred's dtype). */
    static INDArray castLike(INDArray a, INDArray like) {
        return a.dataType() == like.dataType() ? a : a.castTo(like.dataType());
    }

    /** The values in row-major order. */
    static double[] values(INDArray a) {
        return a.reshape('c', new long[] {a.length()}).castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** A float64 array of the given values and shape. */
    static INDArray create(double[] data, long[] shape) {
        return Nd4j.create(data, shape, DataType.DOUBLE);
    }

    /**
     * A threshold as y_pred's precision sees it: Keras casts the threshold to y_pred's dtype, so in
     * float32 a prediction of 0.1f is not above a threshold of 0.1.
     */
    static double threshold(double threshold, INDArray yPred) {
        return yPred.dataType() == DataType.FLOAT ? (double) (float) threshold : threshold;
    }

    /** y_pred's shape without its last (class) axis. */
    static long[] withoutLast(long[] shape) {
        return Arrays.copyOf(shape, shape.length - 1);
    }

    static void requireClassAxis(String metric, INDArray yPred) {
        if (yPred.rank() == 0 || yPred.shape()[yPred.rank() - 1] == 0) {
            throw new IllegalArgumentException(metric + ": y_pred shape " + Shapes.format(yPred.shape())
                    + " has no class axis; expected e.g. [batch, classes]");
        }
    }

    /**
     * Integer class indices for sparse metrics: a trailing axis of size 1 is squeezed when the labels
     * have y_pred's rank; they must then have y_pred's shape without its class axis.
     */
    static INDArray sparseLabels(String metric, INDArray yTrue, INDArray yPred, String denseMetric) {
        requireClassAxis(metric, yPred);
        long[] t = yTrue.shape();
        long[] p = yPred.shape();
        INDArray labels = yTrue;
        if (t.length == p.length && t[t.length - 1] == 1) {
            labels = yTrue.reshape('c', withoutLast(t));
        }
        if (!Arrays.equals(labels.shape(), withoutLast(p))) {
            String message = metric + ": y_true shape " + Shapes.format(t) + " does not match y_pred shape "
                    + Shapes.format(p) + "; it expects integer class indices of shape " + Shapes.format(withoutLast(p));
            if (Arrays.equals(t, p) && p[p.length - 1] > 1) {
                message += ". y_true has y_pred's shape, so it looks one-hot encoded: use " + denseMetric;
            }
            throw new IllegalArgumentException(message);
        }
        return labels;
    }

    /** One-hot (or probability) targets of y_pred's shape. */
    static void requireDense(String metric, INDArray yTrue, INDArray yPred, String sparseMetric) {
        requireClassAxis(metric, yPred);
        long[] t = yTrue.shape();
        long[] p = yPred.shape();
        if (!Arrays.equals(t, p)) {
            String message = metric + ": y_true shape " + Shapes.format(t) + " does not match y_pred shape "
                    + Shapes.format(p) + "; it expects one-hot targets of y_pred's shape";
            boolean indices = Arrays.equals(t, withoutLast(p))
                    || (t.length == p.length && t[t.length - 1] == 1 && Arrays.equals(withoutLast(t), withoutLast(p)));
            if (indices) {
                message += ". y_true looks like integer class indices: use " + sparseMetric;
            }
            throw new IllegalArgumentException(message);
        }
    }

    /** The index of the first largest value of each row of {@code classes} values. */
    static int argmax(double[] data, int row, int classes) {
        int best = 0;
        int base = row * classes;
        for (int c = 1; c < classes; c++) {
            if (data[base + c] > data[base + best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * TensorFlow's {@code in_top_k}: the target class is within the k highest scores of its row, ties
     * counting in its favour (fewer than k scores strictly above it). An out-of-range target or a NaN
     * score gives false.
     */
    static boolean inTopK(double[] scores, int row, int classes, long target, int k) {
        if (target < 0 || target >= classes) {
            return false;
        }
        int base = row * classes;
        double score = scores[base + (int) target];
        if (Double.isNaN(score)) {
            return false;
        }
        int above = 0;
        for (int c = 0; c < classes; c++) {
            if (scores[base + c] > score) {
                above++;
            }
        }
        return above < k;
    }
}
