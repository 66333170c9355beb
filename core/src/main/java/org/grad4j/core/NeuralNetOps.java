package org.grad4j.core;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        Tensor product;
        try (NoGrad scope = NoGrad.enter()) {
            product = x.matmul(kernel);   // one GEMM into a fresh array; the node recorded below covers it
        }
        int rows = (int) product.shape()[0];
        int units = (int) product.shape()[1];
        // fresh values no one has seen yet, so the pass may write them in place, in Java or in ND4J's memory
        FloatBuffer out = FloatLoops.floats(product);
        FloatBuffer b = bias == null ? null : FloatLoops.floats(bias);
        // rows are copied in blocks into a Java array, where the loop vectorises (per-element buffer access does not)
        int blockRows = Math.max(1, FloatLoops.BLOCK / units);
        float[] rowBias = b == null ? null : FloatLoops.tileRows(b, units, blockRows);
        // in ND4J's memory the ReLU runs on the floats' bits, where its loop vectorises
        java.nio.IntBuffer bits = relu ? FloatLoops.bits(product) : null;
        FloatLoops.Body epilogue = (from, to) -> {
            float[] block = blockRows * units <= FloatLoops.BLOCK ? FloatLoops.scratch(1)[0] : new float[blockRows * units];
            int[] blockBits = bits == null ? null : FloatLoops.keptInts(0, blockRows * units);
            for (int first = from; first < to; first += blockRows) {
                int count = Math.min(blockRows, to - first) * units;
                if (rowBias != null || bits == null) {
                    out.get(first * units, block, 0, count);
                    FloatLoops.biasRelu(block, count, rowBias, relu && bits == null);
                    out.put(first * units, block, 0, count);
                }
                if (bits != null) {
                    bits.get(first * units, blockBits, 0, count);
                    FloatLoops.reluBits(blockBits, count);
                    bits.put(first * units, blockBits, 0, count);
                }
            }
        };
        if (rowBias != null || relu) {   // neither: the product is the result
            Parallel.forRange(rows, (long) rows * units, epilogue);
        }
        Tensor result = product;
        // {the incoming gradient, the masked one, its column sums}: one pass over g serves all three inputs
        Tensor[] gz = new Tensor[3];
        Vjp masked = g -> {
            if (gz[0] != g) {
                Tensor[] passed = maskAndSum(g, relu ? result : null, bias != null);
                gz[0] = g;
                gz[1] = passed[0];
                gz[2] = passed[1];
            }
            return gz[1];
        };
        Vjp dx = g -> masked.apply(g).matmul(kernel, false, true);
        Vjp dKernel = g -> x.matmul(masked.apply(g), true, false);
        Vjp dBias = g -> {
            Tensor m = masked.apply(g);
            return gz[2] != null ? gz[2] : m.sum(false, 0);
        };
        return bias == null
                ? Graph.record(result, relu ? "DenseRelu" : "Dense", new Tensor[] {x, kernel}, new Vjp[] {dx, dKernel})
                : Graph.record(result, relu ? "DenseRelu" : "Dense", new Tensor[] {x, kernel, bias},
                        new Vjp[] {dx, dKernel, dBias});
    }

    /**
     * {@code g} times 1 where the ReLU's output {@code out} is positive, times 0 elsewhere ({@code g} itself when
     * {@code out} is null: no ReLU), and when {@code sums} is set the sum of that over the batch axis (null
     * otherwise, or when a second-order pass needs both recorded: then the caller sums). One pass over the rows,
     * split over the cores, each reading its rows once in blocks; the sums accumulate in double, per part, and the
     * parts are added in order.
     */
    private static Tensor[] maskAndSum(Tensor g, Tensor out, boolean sums) {
        FloatBuffer[] buffers = Graph.isRecording() ? null
                : out == null ? FloatLoops.all(g) : FloatLoops.all(g, out);
        if (buffers == null) {
            // a second-order pass (createGraph) needs the product recorded: the mask is a constant
            return new Tensor[] {out == null ? g : g.mul(ActivationOps.positiveMask(out)), null};
        }
        if (out == null && !sums) {
            return new Tensor[] {g, null};
        }
        int rows = (int) g.shape()[0];
        int units = (int) g.shape()[1];
        // the masked gradient: in Java when small (no ND4J array), else in ND4J's memory
        float[] small = out != null && Kernels.keepsSmall((long) rows * units) ? StepArrays.floats(rows * units) : null;
        INDArray result = out == null || small != null ? null : Nd4j.createUninitialized(DataType.FLOAT, g.shape());
        FloatBuffer in = buffers[0];
        FloatBuffer positive = out == null ? null : buffers[1];
        FloatBuffer r = small != null ? FloatBuffer.wrap(small) : result == null ? null : FloatLoops.floats(result);
        // in ND4J's memory the mask runs on the floats' bits, where its loop vectorises
        java.nio.IntBuffer inBits = result == null ? null : FloatLoops.bits(g);
        java.nio.IntBuffer positiveBits = inBits == null ? null : FloatLoops.bits(out);
        java.nio.IntBuffer rBits = positiveBits == null ? null : FloatLoops.bits(result);
        int blockRows = Math.max(1, FloatLoops.BLOCK / units);
        int parts = Parallel.parts(rows, (long) rows * units);
        // the parts' column sums side by side in the calling thread's kept array: a new one per call was most of
        // W5's Java garbage, and fresh heap pages cost a fault each here
        double[] partSums = sums ? FloatLoops.keptDoubles(parts * units) : null;
        java.util.function.IntConsumer pass = part -> {
            int from = (int) ((long) rows * part / parts);
            int to = (int) ((long) rows * (part + 1) / parts);
            boolean fits = blockRows * units <= FloatLoops.BLOCK;
            float[][] kept = fits ? FloatLoops.scratch(2) : null;
            float[] gradient = fits ? kept[0] : new float[blockRows * units];
            float[] output = positive == null || rBits != null ? null : fits ? kept[1] : new float[blockRows * units];
            int sumsFrom = part * units;
            int[] gradientBits = rBits == null ? null : FloatLoops.keptInts(0, blockRows * units);
            int[] outputBits = rBits == null ? null : FloatLoops.keptInts(1, blockRows * units);
            for (int first = from; first < to; first += blockRows) {
                int count = Math.min(blockRows, to - first) * units;
                if (rBits != null) {
                    inBits.get(first * units, gradientBits, 0, count);
                    positiveBits.get(first * units, outputBits, 0, count);
                    FloatLoops.maskBits(gradientBits, outputBits, count);
                    rBits.put(first * units, gradientBits, 0, count);
                    if (sums) {
                        r.get(first * units, gradient, 0, count);
                    }
                } else {
                    in.get(first * units, gradient, 0, count);
                }
                if (output != null) {
                    positive.get(first * units, output, 0, count);
                    for (int i = 0; i < count; i++) {
                        // the product, as the composition's g * mask: an infinite or NaN gradient times 0 is NaN
                        gradient[i] = gradient[i] * FloatLoops.positiveMask(output[i]);
                    }
                    r.put(first * units, gradient, 0, count);
                }
                if (sums) {
                    for (int k = 0; k < count; k += units) {
                        for (int j = 0; j < units; j++) {
                            partSums[sumsFrom + j] += gradient[k + j];
                        }
                    }
                }
            }
        };
        if (parts == 1) {
            pass.accept(0);   // a parallel stream of one part still costs its fork-join round trip
        } else {
            Parallel.forParts(parts, pass);
        }
        Tensor masked = small != null ? new Tensor(small, g.shape().clone()) : result == null ? g : Tensor.of(result);
        if (!sums) {
            return new Tensor[] {masked, null};
        }
        float[] column = new float[units];
        for (int j = 0; j < units; j++) {
            double sum = 0;
            for (int p = 0; p < parts; p++) {
                sum += partSums[p * units + j];
            }
            column[j] = (float) sum;
        }
        Tensor summed = Kernels.keepsSmall(units) ? new Tensor(column, new long[] {units}) : Tensor.of(Nd4j.createFromArray(column));
        return new Tensor[] {masked, summed};
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
        Vjp forLabels = g -> g.expandDims(a).mul(logits.logSoftmax(a)).neg();
        Vjp forLogits = g -> g.expandDims(a).mul(logits.softmax(a).mul(labels.sum(true, a)).sub(labels));
        if (Kernels.fusedSoftmaxCrossEntropy(labels, logits, a)) {
            return fusedSoftmaxCrossEntropy(labels, logits, forLabels, forLogits);
        }
        Tensor out;
        try (NoGrad scope = NoGrad.enter()) {
            // as Tensor ops, logits Kernels lets Java read take Java loops (the fused pass below covers the usual
            // case); larger ones take the same ND4J ops as before
            Tensor shifted = logits.sub(logits.max(true, a));
            Tensor logProbs = shifted.sub(shifted.exp().sum(true, a).log());
            out = logProbs.mul(labels).sum(false, a).neg();
        }
        return Graph.record(out, "SoftmaxCrossEntropyWithLogits", labels, logits, forLabels, forLogits);
    }

    /**
     * {@link #softmaxCrossEntropyWithLogits} over the last axis of a small float32 matrix, the Keras tutorial's
     * {@code [32, 10]}: one Java pass a row forward and one backward, with the composition's rounding (bit for bit
     * its values and gradient: {@code SoftmaxCrossEntropyFusedTest}), instead of its nine element-wise ops and
     * their arrays, which took about 13 % of that step. A second-order pass, or an incoming gradient Java does not
     * hold, takes the composed gradient {@code forLogits}.
     */
    private static Tensor fusedSoftmaxCrossEntropy(Tensor labels, Tensor logits, Vjp forLabels, Vjp forLogits) {
        int rows = (int) logits.shape()[0];
        int n = (int) logits.shape()[1];
        Tensor out = new Tensor(JavaKernels.softmaxCrossEntropy(Kernels.values(logits), Kernels.values(labels), rows, n),
                new long[] {rows});
        Vjp fused = g -> Kernels.fits(g) && g.rank() == 1 && !Graph.isRecording()
                ? new Tensor(JavaKernels.softmaxCrossEntropyGradient(Kernels.values(g), Kernels.values(logits),
                        Kernels.values(labels), rows, n), logits.shape().clone())
                : forLogits.apply(g);
        return Graph.record(out, "SoftmaxCrossEntropyWithLogits", labels, logits, forLabels, fused);
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
                || FloatLoops.floats(bias) == null)) {
            return false;
        }
        return Kernels.fusedDense(x, kernel);
    }
}
