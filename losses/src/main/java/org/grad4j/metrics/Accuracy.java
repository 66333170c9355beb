package org.grad4j.metrics;

import java.util.Arrays;
import org.grad4j.core.Shapes;
import org.grad4j.losses.internal.RankAlignment;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code Accuracy}: how often predictions equal the targets exactly, element by element (for
 * already-decided labels; see {@link BinaryAccuracy} and {@link CategoricalAccuracy} for scores).
 */
public class Accuracy extends MeanMetricWrapper {
    public Accuracy() {
        super("accuracy", Accuracy::accuracy);
    }

    /**
     * Keras' {@code accuracy}: 1 where {@code y_true == y_pred}, else 0.
     *
     * @param yTrue the shape of {@code yPred} (up to a trailing axis of size 1)
     * @return the aligned shape, e.g. {@code [batch, 1]}
     */
    public static INDArray accuracy(INDArray yTrue, INDArray yPred) {
        INDArray[] in = RankAlignment.squeezeOrExpand(MetricInputs.castLike(yTrue, yPred), yPred, true);
        if (!Arrays.equals(in[0].shape(), in[1].shape())) {
            throw new IllegalArgumentException("Accuracy: y_true shape " + Shapes.format(yTrue.shape())
                    + " and y_pred shape " + Shapes.format(yPred.shape()) + " differ; they must be equal "
                    + "(up to a trailing axis of size 1)");
        }
        double[] t = MetricInputs.values(in[0]);
        double[] p = MetricInputs.values(in[1]);
        double[] matches = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            matches[i] = t[i] == p[i] ? 1 : 0;
        }
        return MetricInputs.create(matches, in[1].shape());
    }
}
