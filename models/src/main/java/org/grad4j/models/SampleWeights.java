package org.grad4j.models;

import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.losses.Loss;
import org.grad4j.losses.LossFunctionWrapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-sample loss weights, Keras' {@code sample_weight}: given ones checked, and ones derived from
 * {@code classWeight}. Both end as {@code [n]} in the model's type, which the loss multiplies into the
 * per-sample losses before its reduction ({@code sum_over_batch_size}: {@code sum(w * loss) / batch size}) and
 * the metrics take as weights.
 */
final class SampleWeights {
    private SampleWeights() {
    }

    /**
     * {@code w} checked against {@code x} and shaped {@code [n]}; null stays null. Keras also takes {@code [n, 1]}.
     * Weights must be finite and {@code >= 0}: NaN would poison the loss silently, and a negative weight, which
     * Keras would take, turns the step into gradient ascent on that sample, almost always a mistake.
     */
    static INDArray checked(String where, INDArray w, INDArray x, Loss loss, DataType dtype) {
        if (w == null) {
            return null;
        }
        long n = x.size(0);
        boolean perSample = w.rank() == 1 && w.size(0) == n || w.rank() == 2 && w.size(0) == n && w.size(1) == 1;
        if (!perSample) {
            throw new IllegalArgumentException(where + ": sampleWeight must hold one weight per sample, shape [" + n
                    + "] (or [" + n + ", 1]), got " + Shapes.format(w.shape()) + " for x of shape " + Shapes.format(x.shape()));
        }
        double min = w.minNumber().doubleValue();
        double max = w.maxNumber().doubleValue();
        boolean nan = Double.isNaN(w.sumNumber().doubleValue());   // min and max skip NaN, the sum does not
        if (!(min >= 0) || Double.isInfinite(max) || nan) {
            throw new IllegalArgumentException(where + ": sampleWeight must be >= 0 and finite (0 leaves a sample out), got "
                    + (nan ? "NaN among " : "") + "values from " + min + " to " + max);
        }
        requireWeightedLoss(where, "sampleWeight", loss);
        INDArray out = w.reshape('c', new long[] {n}).castTo(dtype);
        return out.isView() ? out.dup('c') : out;   // a buffer of its own, as Trainer.floating explains
    }

    /**
     * Per-sample weights from {@code classWeight}: the class is the label (binary, sparse) or its argmax (one-hot),
     * as Keras' {@code class_weight_to_sample_weights}; classes not listed weigh 1.
     */
    static INDArray fromClassWeight(String where, INDArray y, Map<Integer, Double> classWeight, Loss loss, DataType dtype) {
        requireWeightedLoss(where, "classWeight", loss);
        long n = y.size(0);
        INDArray classes = y.rank() >= 2 && y.size(-1) > 1
                ? Nd4j.argMax(y.reshape(n, -1, y.size(-1)), 2).reshape(n, -1).getColumn(0)
                : y.reshape(n, -1).getColumn(0);
        double[] w = new double[(int) n];
        for (int i = 0; i < n; i++) {
            int c = (int) Math.round(classes.getDouble(i));
            w[i] = classWeight.getOrDefault(c, 1.0);
        }
        return Nd4j.createFromArray(w).castTo(dtype);
    }

    /** Keras 3 refuses both at once (tf.keras 2 multiplied them); so does grad4j, rather than pick a rule silently. */
    static void requireNotBoth(String where, boolean sampleWeights, Map<Integer, Double> classWeight) {
        if (sampleWeights && classWeight != null) {
            throw new IllegalArgumentException(where + ": sampleWeight and classWeight cannot be given together (as in "
                    + "Keras 3); fold the class weights into the sample weights yourself, e.g. w[i] *= classWeight[y[i]]");
        }
    }

    private static void requireWeightedLoss(String where, String what, Loss loss) {
        if (!(loss instanceof LossFunctionWrapper<?>)) {
            throw new IllegalArgumentException(where + ": " + what + " needs a loss that takes sample weights (a "
                    + "LossFunctionWrapper), got " + loss.name());
        }
    }
}
