package org.grad4j.metrics;

import org.grad4j.core.NoGrad;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.losses.internal.RankAlignment;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras 3's {@code reduce_to_samplewise_values} plus the sums of {@code Mean.update_state}
 * ({@code keras/src/metrics/reduction_metrics.py}), in double precision: what one batch adds to a mean
 * metric's total and count.
 */
final class Samplewise {
    private Samplewise() {
    }

    /** What one batch adds: the sum of its per-sample values and their count (or weight). */
    record Totals(double total, double count) {
    }

    /**
     * Unweighted batches up to this size are totalled in one step ({@link Tensor#sumDouble}: a Java loop for small
     * float32 values, ND4J with {@code -Dgrad4j.kernels=nd4j}) rather than by per-axis ND4J means.
     */
    private static final int SMALL = 256;

    /** Whether {@link #unweightedSmall} serves these values. */
    static boolean isSmall(Tensor values, Tensor weights) {
        return weights == null && values.size() <= SMALL;
    }

    /**
     * @param values  per-sample (or finer) values, e.g. {@code [batch]} or {@code [batch, outputs]}
     * @param weights null, or weights that broadcast to the values after rank alignment
     */
    static Totals of(String what, INDArray values, INDArray weights) {
        if (weights == null && values.length() <= SMALL) {
            return unweightedSmall(Tensor.of(values));
        }
        try (NoGrad scope = NoGrad.enter()) {
            Tensor v = Tensor.of(values.castTo(DataType.DOUBLE));
            if (weights == null) {
                v = meanOverAxes(v, 1);
                return new Totals(v.array().sumNumber().doubleValue(), v.rank() >= 1 ? v.shape()[0] : 1);
            }
            Tensor[] aligned = RankAlignment.squeezeOrExpand(v, Tensor.of(weights.castTo(DataType.DOUBLE)));
            v = aligned[0];
            Tensor w = aligned[1];
            int weightRank = w.rank();
            // values are averaged down to the weights' rank, then the weights broadcast over them
            v = meanOverAxes(v, weightRank);
            if (!Shapes.broadcastsTo(w.shape(), v.shape())) {
                throw new IllegalArgumentException(what + ": sample_weight shape " + Shapes.format(weights.shape())
                        + " does not broadcast to the metric values of shape " + Shapes.format(values.shape())
                        + "; give one weight per sample, e.g. [batch]");
            }
            w = w.broadcastTo(v.shape());
            v = v.mul(w);
            // a sample's weight is the mean of its weights, as its value is the mean of its values
            w = meanOverAxes(w, 1);
            v = meanOverAxes(v, 1);
            return new Totals(v.array().sumNumber().doubleValue(), w.array().sumNumber().doubleValue());
        }
    }

    /**
     * The sum of the per-sample means (values {@code [batch, ...]}, or one value) and the sample count. The sum is
     * taken in double, as the weighted path's is, so that the two paths agree to rounding and the golden metric
     * tests keep their tolerances (a float32 sum of a few hundred values loses digits in the 7th place).
     */
    static Totals unweightedSmall(Tensor values) {
        double sum = values.sumDouble();
        long n = values.size();
        if (values.rank() == 0) {
            return new Totals(sum, 1);
        }
        long batch = values.shape()[0];
        long perSample = batch == 0 ? 1 : n / batch;
        return new Totals(perSample == 0 ? 0 : sum / perSample, batch);
    }

    /** The mean over axes {@code from..rank-1}; unchanged when there are none. */
    private static Tensor meanOverAxes(Tensor t, int from) {
        if (t.rank() <= from) {
            return t;
        }
        int[] axes = new int[t.rank() - from];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = from + i;
        }
        return t.mean(false, axes);
    }
}
