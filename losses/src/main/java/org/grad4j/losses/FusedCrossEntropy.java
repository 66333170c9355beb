package org.grad4j.losses;

import java.util.Arrays;
import org.grad4j.core.Graph;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Vjp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cross-entropies on logits as single ops with hand-written gradients: stable for any logit (±1000
 * gives finite values and gradients) and one node each instead of a chain of element-wise ones. The
 * gradients are written with Tensor ops, so they can be differentiated again.
 */
public final class FusedCrossEntropy {
    /** Up to this many elements the forward runs as a Java loop. */
    private static final int SMALL = 256;

    private FusedCrossEntropy() {
    }

    /**
     * Element-wise {@code -(y log sigmoid(x) + (1-y) log(1 - sigmoid(x)))}, computed as TensorFlow's
     * {@code sigmoid_cross_entropy_with_logits}: {@code max(x, 0) - x*y + log1p(exp(-|x|))}, where exp
     * never overflows. The gradient is {@code sigmoid(x) - y} for x and {@code -x} for y; it is smooth
     * at x = 0 (composing relu and abs would give their sub-gradient 0 there and a wrong result).
     *
     * @param labels targets in [0, 1], the shape of {@code logits}
     * @param logits any shape
     * @return the shape of {@code logits}
     */
    public static Tensor sigmoidWithLogits(Tensor labels, Tensor logits) {
        requireSameShape("sigmoidWithLogits", labels, logits);
        Tensor out;
        if (logits.size() <= SMALL && logits.dataType() == DataType.FLOAT) {
            // seed-sized batches: a Java loop instead of six ND4J dispatches, the same formula
            float[] x = logits.toFloatArray();
            float[] z = labels.toFloatArray();
            float[] values = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                values[i] = (float) (Math.max(x[i], 0.0) - (double) (x[i] * z[i]) + Math.log1p(Math.exp(-Math.abs((double) x[i]))));
            }
            out = Tensor.of(values, logits.shape());
        } else {
            INDArray x = logits.array();
            INDArray tail = Transforms.log1p(Transforms.exp(Transforms.abs(x, true).negi(), false), false);
            out = Tensor.of(Transforms.relu(x, true).subi(x.mul(labels.array())).addi(tail));
        }
        return Graph.record(out, "SigmoidCrossEntropyWithLogits", labels, logits,
                g -> g.mul(logits.neg()),
                g -> g.mul(logits.sigmoid().sub(labels)));
    }

    /**
     * {@code -sum(y * log_softmax(x), axis)}, with log-softmax shifted by the maximum. The gradient is
     * {@code softmax(x) * sum(y) - y} for the logits (labels need not sum to 1, e.g. after smoothing
     * or for an ignored sample whose row is all zeros) and {@code -log_softmax(x)} for the labels.
     *
     * @param labels class probabilities, the shape of {@code logits}, e.g. {@code [batch, classes]}
     * @param logits e.g. {@code [batch, classes]}
     * @return {@code logits}' shape without {@code axis}, e.g. {@code [batch]}
     */
    public static Tensor softmaxWithLogits(Tensor labels, Tensor logits, int axis) {
        requireSameShape("softmaxWithLogits", labels, logits);
        int a = Shapes.normalizeAxis("softmaxWithLogits", axis, logits.rank());
        INDArray x = logits.array();
        INDArray shifted = x.sub(x.max(true, a));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, a), false);
        INDArray logProbs = shifted.subi(logSum);
        INDArray out = logProbs.muli(labels.array()).sum(false, a).negi();
        Vjp forLabels = g -> g.expandDims(a).mul(logits.logSoftmax(a)).neg();
        Vjp forLogits = g -> g.expandDims(a).mul(logits.softmax(a).mul(labels.sum(true, a)).sub(labels));
        return Graph.record(Tensor.of(out), "SoftmaxCrossEntropyWithLogits", labels, logits, forLabels, forLogits);
    }

    private static void requireSameShape(String op, Tensor labels, Tensor logits) {
        if (!Arrays.equals(labels.shape(), logits.shape()) || labels.dataType() != logits.dataType()) {
            throw new IllegalArgumentException(op + ": labels " + labels.dataType() + " " + Shapes.format(labels.shape())
                    + " and logits " + logits.dataType() + " " + Shapes.format(logits.shape())
                    + " must have the same shape and data type");
        }
    }
}
