package org.grad4j.losses;

import org.grad4j.core.NeuralNetOps;
import org.grad4j.core.Tensor;

/**
 * Cross-entropies on logits as single ops with hand-written gradients: stable for any logit (±1000 gives finite
 * values and gradients) and one node each instead of a chain of element-wise ones. The ops live in core
 * ({@link NeuralNetOps}), beneath its kernel seam; these are the names the losses use.
 */
public final class FusedCrossEntropy {
    private FusedCrossEntropy() {
    }

    /** See {@link NeuralNetOps#sigmoidCrossEntropyWithLogits}: element-wise, the shape of {@code logits}. */
    public static Tensor sigmoidWithLogits(Tensor labels, Tensor logits) {
        return NeuralNetOps.sigmoidCrossEntropyWithLogits(labels, logits);
    }

    /** See {@link NeuralNetOps#softmaxCrossEntropyWithLogits}: {@code logits}' shape without {@code axis}. */
    public static Tensor softmaxWithLogits(Tensor labels, Tensor logits, int axis) {
        return NeuralNetOps.softmaxCrossEntropyWithLogits(labels, logits, axis);
    }
}
