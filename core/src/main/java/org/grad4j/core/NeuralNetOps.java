package org.grad4j.core;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Fused ops with a hand-written backward, for the hot path of training: dense (+ ReLU), and the sigmoid and
 * softmax cross-entropies on logits (stable for any logit, one node each instead of a chain). Each computes exactly what its
 * composition of primitive ops computes; {@code NeuralNetOpsTest} checks values and gradients against that
 * composition in float64.
 */
public final class NeuralNetOps {
    private NeuralNetOps() {
    }

    /**
     * {@code x · kernel + bias}, with ReLU applied when {@code relu} is set: a Dense layer's forward. For
     * float32 matrices it is one GEMM and one pass that adds the bias and applies the ReLU in place, and the
     * backward masks the incoming gradient in one pass (the composition would take three element-wise ops
     * forward and two backward, each allocating a batch-sized array). Anything else (small, float64, rank 3,
     * mismatched shapes) takes the composition, with its checks and messages.
     *
     * @param x      {@code [batch, in]}
     * @param kernel {@code [in, units]}
     * @param bias   {@code [units]}, or null for none
     */
    public static Tensor dense(Tensor x, Tensor kernel, Tensor bias, boolean relu) {
        if (!fusable(x, kernel, bias)) {
            Tensor z = x.matmul(kernel);
            z = bias == null ? z : z.add(bias);
            return relu ? z.relu() : z;
        }
        INDArray c;
        try (NoGrad scope = NoGrad.enter()) {
            c = x.matmul(kernel).array();   // one GEMM into a fresh array; the node recorded below covers it
        }
        int rows = (int) c.size(0);
        int units = (int) c.size(1);
        FloatBuffer out = FloatLoops.floats(c);
        FloatBuffer b = bias == null ? null : FloatLoops.floats(bias.array());
        float[] shift = new float[units];
        if (b != null) {
            b.get(0, shift);
        }
        // rows are copied in blocks into a Java array, where the loop vectorises (per-element buffer access does not)
        int blockRows = Math.max(1, FloatLoops.BLOCK / units);
        FloatLoops.forRange(rows, (from, to) -> {
            float[] block = new float[blockRows * units];
            for (int first = from; first < to; first += blockRows) {
                int count = Math.min(blockRows, to - first) * units;
                out.get(first * units, block, 0, count);
                for (int k = 0; k < count; k += units) {
                    for (int j = 0; j < units; j++) {
                        float v = b == null ? block[k + j] : block[k + j] + shift[j];   // no bias: -0.0 stays
                        block[k + j] = relu && v < 0f ? 0f : v;   // ReLU as libnd4j's: NaN and -0.0 pass
                    }
                }
                out.put(first * units, block, 0, count);
            }
        });
        Tensor result = Tensor.of(c);
        Tensor[] gz = new Tensor[2];   // {the incoming gradient, the masked one}: one mask pass for all three inputs
        Vjp masked = g -> {
            if (!relu) {
                return g;
            }
            if (gz[0] != g) {
                gz[0] = g;
                gz[1] = mask(g, result);
            }
            return gz[1];
        };
        Vjp dx = g -> masked.apply(g).matmul(kernel, false, true);
        Vjp dKernel = g -> x.matmul(masked.apply(g), true, false);
        Vjp dBias = g -> columnSums(masked.apply(g));
        return bias == null
                ? Graph.record(result, relu ? "DenseRelu" : "Dense", new Tensor[] {x, kernel}, new Vjp[] {dx, dKernel})
                : Graph.record(result, relu ? "DenseRelu" : "Dense", new Tensor[] {x, kernel, bias},
                        new Vjp[] {dx, dKernel, dBias});
    }

    /** {@code g} times 1 where the ReLU's output is positive, times 0 elsewhere. */
    private static Tensor mask(Tensor g, Tensor out) {
        FloatBuffer[] buffers = Graph.isRecording() ? null : FloatLoops.all(g.array(), out.array());
        if (buffers == null) {
            // a second-order pass (createGraph) needs the product recorded: the mask is a constant
            return g.mul(ActivationOps.positiveMask(out));
        }
        INDArray result = Nd4j.createUninitialized(DataType.FLOAT, g.shape());
        FloatBuffer in = buffers[0];
        FloatBuffer positive = buffers[1];
        FloatBuffer r = FloatLoops.floats(result);
        FloatLoops.forRange((int) result.length(), (from, to) -> {
            float[] gradient = new float[FloatLoops.BLOCK];
            float[] output = new float[FloatLoops.BLOCK];
            for (int first = from; first < to; first += FloatLoops.BLOCK) {
                int count = Math.min(FloatLoops.BLOCK, to - first);
                in.get(first, gradient, 0, count);
                positive.get(first, output, 0, count);
                for (int i = 0; i < count; i++) {
                    // the product, as the composition's g * mask: an infinite or NaN gradient times 0 is NaN
                    gradient[i] = gradient[i] * (output[i] > 0f ? 1f : 0f);
                }
                r.put(first, gradient, 0, count);
            }
        });
        return Tensor.of(result);
    }

    /**
     * The sum over the batch axis. libnd4j reduces a row-major matrix along axis 0 with strided reads, one
     * column at a time; adding the rows in order reads the memory once, front to back (about 10x faster for
     * [256, 2048]).
     */
    private static Tensor columnSums(Tensor g) {
        FloatBuffer in = Graph.isRecording() ? null : FloatLoops.floats(g.array());
        if (in == null) {
            return g.sum(false, 0);
        }
        int rows = (int) g.shape()[0];
        int units = (int) g.shape()[1];
        double[] sums = new double[units];
        for (int i = 0; i < rows; i++) {
            int row = i * units;
            for (int j = 0; j < units; j++) {
                sums[j] += in.get(row + j);
            }
        }
        float[] out = new float[units];
        for (int j = 0; j < units; j++) {
            out[j] = (float) sums[j];
        }
        return Kernels.keepsSmall(units) ? new Tensor(out, new long[] {units}) : Tensor.of(Nd4j.createFromArray(out));
    }

    /**
     * Element-wise {@code -(y log sigmoid(x) + (1-y) log(1 - sigmoid(x)))}, computed as TensorFlow's
     * {@code sigmoid_cross_entropy_with_logits}: {@code max(x, 0) - x*y + log1p(exp(-|x|))}, where exp never
     * overflows. The gradient is {@code sigmoid(x) - y} for x and {@code -x} for y; it is smooth at x = 0
     * (composing relu and abs would give their sub-gradient 0 there and a wrong result).
     *
     * @param labels targets in [0, 1], the shape and type of {@code logits}
     * @param logits any shape
     * @return the shape of {@code logits}
     */
    public static Tensor sigmoidCrossEntropyWithLogits(Tensor labels, Tensor logits) {
        requireSameShape("sigmoidWithLogits", labels, logits);
        Tensor out = Kernels.sigmoidCrossEntropy(labels, logits);
        return Graph.record(out, "SigmoidCrossEntropyWithLogits", labels, logits,
                g -> g.mul(logits.neg()),
                g -> g.mul(logits.sigmoid().sub(labels)));
    }

    /**
     * {@code -sum(y * log_softmax(x), axis)}, with log-softmax shifted by the maximum. The gradient is
     * {@code softmax(x) * sum(y) - y} for the logits (labels need not sum to 1, e.g. after smoothing or for an
     * ignored sample whose row is all zeros) and {@code -log_softmax(x)} for the labels.
     *
     * @param labels class probabilities, the shape and type of {@code logits}, e.g. {@code [batch, classes]}
     * @param logits e.g. {@code [batch, classes]}
     * @return {@code logits}' shape without {@code axis}, e.g. {@code [batch]}
     */
    public static Tensor softmaxCrossEntropyWithLogits(Tensor labels, Tensor logits, int axis) {
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
        if (!java.util.Arrays.equals(labels.shape(), logits.shape()) || labels.dataType() != logits.dataType()) {
            throw new IllegalArgumentException(op + ": labels " + labels.dataType() + " " + Shapes.format(labels.shape())
                    + " and logits " + logits.dataType() + " " + Shapes.format(logits.shape())
                    + " must have the same shape and data type");
        }
    }

    private static boolean fusable(Tensor x, Tensor kernel, Tensor bias) {
        if (x.rank() != 2 || kernel.rank() != 2 || x.shape()[1] != kernel.shape()[0]
                || x.dataType() != DataType.FLOAT || kernel.dataType() != DataType.FLOAT) {
            return false;
        }
        if (bias != null && (bias.rank() != 1 || bias.shape()[0] != kernel.shape()[1] || bias.dataType() != DataType.FLOAT
                || FloatLoops.floats(bias.array()) == null)) {
            return false;
        }
        return Kernels.fusedDense(x, kernel);
    }
}
