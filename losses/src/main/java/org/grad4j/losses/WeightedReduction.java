package org.grad4j.losses;

import org.grad4j.losses.internal.RankAlignment;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;

/**
 * Keras 3's {@code reduce_weighted_values} ({@code keras/src/losses/loss.py}): merge a mask into the
 * sample weights, align the weights' rank with the per-sample losses, multiply, then reduce.
 */
final class WeightedReduction {
    private WeightedReduction() {
    }

    /**
     * @param what          the loss, for error messages
     * @param values        per-sample losses, e.g. {@code [batch]}
     * @param sampleWeight  weights or null; they must broadcast to {@code values} after rank alignment
     * @param mask          0/1 of the shape of {@code values} (1 = counts), or null
     */
    static Tensor reduce(String what, Tensor values, Tensor sampleWeight, Tensor mask, Reduction reduction) {
        Tensor weights = sampleWeight == null ? null : LossInputs.castTo(sampleWeight, values.dataType());
        if (mask != null) {
            weights = applyMask(what, weights, mask, reduction);
        }
        if (weights != null) {
            Tensor[] aligned = RankAlignment.squeezeOrExpand(values, weights);
            values = aligned[0];
            weights = aligned[1];
            // Keras multiplies with full broadcasting; a weight that would enlarge the loss tensor
            // (weights [4] on a rank-0 loss, say) is almost always a mistake, so it fails here instead
            if (!Shapes.broadcastsTo(weights.shape(), values.shape())) {
                throw new IllegalArgumentException(what + ": sample_weight shape " + Shapes.format(sampleWeight.shape())
                        + " does not broadcast to the per-sample loss shape " + Shapes.format(values.shape())
                        + " (the loss reduces the last axis of y_pred; give weights of the batch shape, e.g. [batch] "
                        + "or [batch, 1])");
            }
            values = values.mul(weights);
        }
        return reduceValues(values, weights, reduction);
    }

    /**
     * Keras' {@code apply_mask}: for the mean reductions valid entries weigh {@code total/valid} and
     * masked ones 0, so that the mean runs over the valid entries only (an all-masked batch gives 0).
     */
    private static Tensor applyMask(String what, Tensor weights, Tensor mask, Reduction reduction) {
        Tensor m = mask;
        if (reduction == Reduction.SUM_OVER_BATCH_SIZE || reduction == Reduction.MEAN) {
            double total = mask.size();
            double valid = mask.array().sumNumber().doubleValue();
            m = mask.mul(valid == 0 ? 0.0 : total / valid);
        }
        if (weights == null) {
            return m;
        }
        Tensor[] aligned = RankAlignment.squeezeOrExpand(m, weights);
        if (!Shapes.broadcastsTo(aligned[1].shape(), aligned[0].shape())) {
            // as Keras: weights [batch] do not spread over a per-step mask [batch, steps]; give [batch, steps]
            throw new IllegalArgumentException(what + ": sample_weight shape " + Shapes.format(weights.shape())
                    + " does not broadcast to the mask shape " + Shapes.format(mask.shape()) + " (a mask on a sequence "
                    + "output weighs each step; give weights of the mask's shape)");
        }
        return aligned[1].mul(aligned[0]);
    }

    /** Keras' {@code reduce_values}. */
    private static Tensor reduceValues(Tensor values, Tensor weights, Reduction reduction) {
        if (reduction == Reduction.NONE || values.rank() == 0 || values.size() == 0) {
            return values;
        }
        Tensor sum = values.sum();
        switch (reduction) {
            case SUM:
                return sum;
            case MEAN_WITH_SAMPLE_WEIGHT:
                if (weights != null) {
                    Tensor divisor = weights.sum();
                    return divisor.itemDouble() == 0 ? sum.mul(0.0) : sum.div(divisor);
                }
                return sum.div(values.size());
            default: // SUM_OVER_BATCH_SIZE, MEAN: the number of per-sample values, not the weights' sum
                return sum.div(values.size());
        }
    }
}
