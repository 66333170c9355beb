package org.grad4j.core;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fused layer ops with a hand-written backward, for the hot path of training. Each computes exactly what its
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
        FloatLoops.forRange(rows, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i * units;
                for (int j = 0; j < units; j++) {
                    float v = b == null ? out.get(row + j) : out.get(row + j) + b.get(j);
                    out.put(row + j, relu && v < 0f ? 0f : v);   // ReLU as libnd4j's: NaN and -0.0 pass
                }
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
            for (int i = from; i < to; i++) {
                // the product, as the composition's g * mask: an infinite or NaN gradient times 0 is NaN
                r.put(i, in.get(i) * (positive.get(i) > 0f ? 1f : 0f));
            }
        });
        return Tensor.of(result);
    }

    /**
     * The sum over the batch axis. libnd4j reduces a row-major matrix along axis 0 with strided reads (5 ms for
     * [256, 2048] here); adding the rows in order reads the memory once (about 0.5 ms).
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
        return units <= SmallArrays.LIMIT ? new Tensor(out, new long[] {units}) : Tensor.of(Nd4j.createFromArray(out));
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
        // small products stay in Java loops (SmallArrays), which is cheaper than any fused ND4J pass
        return x.shape()[0] * kernel.shape()[1] > SmallArrays.LIMIT;
    }
}
