package org.grad4j.core;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and pooling over channels_last inputs, 1-D ({@code [batch, steps, channels]}) and 2-D
 * ({@code [batch, height, width, channels]}), with Keras' semantics (see {@link Windows} for sizes and padding).
 *
 * <p>Everything rests on one pair of adjoint ops: {@code im2col} (every window as a row) and {@code col2im} (rows
 * added back into their cells), each the other's gradient. A convolution is then {@code im2col} and one GEMM with
 * the kernel read as a matrix, so its gradients are the GEMM's (with transpose flags) and {@code col2im}; pooling
 * is a max or mean over each row's window cells. Gradients are Tensor ops throughout, so second derivatives work.
 */
public final class ConvolutionOps {
    private ConvolutionOps() {
    }

    /**
     * Keras' Conv1D/Conv2D forward without activation: cross-correlation (no kernel flip), plus {@code bias}, then
     * ReLU if {@code relu} (fused with the bias into the GEMM's output when it can be).
     *
     * @param x        {@code [batch, steps, in]} or {@code [batch, height, width, in]}
     * @param kernel   {@code [k, in / groups, filters]} or {@code [kh, kw, in / groups, filters]}
     * @param bias     {@code [filters]}, or null
     * @param strides  one per spatial axis
     * @param same     {@code same} padding (TensorFlow's rule: an odd padded cell goes at the end), else {@code valid}
     * @param dilation one per spatial axis
     * @param groups   channel groups: input and filters split into this many independent convolutions
     * @return {@code [batch, outSteps, filters]} or {@code [batch, outH, outW, filters]}
     */
    public static Tensor conv(Tensor x, Tensor kernel, Tensor bias, boolean relu, int[] strides, boolean same,
            int[] dilation, int groups) {
        long[] ks = kernel.shape();
        int spatial = x.rank() - 2;
        if (spatial < 1 || spatial > 2 || ks.length != spatial + 2) {
            throw new IllegalArgumentException("conv: input " + Shapes.format(x.shape()) + " and kernel " + Shapes.format(ks)
                    + " must be rank 3 (1-D: [batch, steps, channels], kernel [k, in, filters]) or rank 4 (2-D: [batch, "
                    + "height, width, channels], kernel [kh, kw, in, filters])");
        }
        ElementwiseOps.checkSameType("conv", x, kernel);
        long in = x.shape()[x.rank() - 1];
        long filters = ks[ks.length - 1];
        if (groups < 1 || in % groups != 0 || filters % groups != 0 || ks[ks.length - 2] * groups != in) {
            throw new IllegalArgumentException("conv: input channels " + in + " (shape " + Shapes.format(x.shape())
                    + ") must equal the kernel's input channels " + ks[ks.length - 2] + " times groups " + groups
                    + " (kernel " + Shapes.format(ks) + "), and filters " + filters + " must divide by groups");
        }
        if (bias != null && (bias.rank() != 1 || bias.shape()[0] != filters)) {
            throw new IllegalArgumentException("conv: bias " + Shapes.format(bias.shape()) + " must be [" + filters + "]");
        }
        int[] size = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            size[i] = (int) ks[i];
        }
        Windows w = Windows.of("conv", x.shape(), size, strides, dilation, same);
        long rows = w.positions();
        long depth = (long) w.windowCells() * in / groups;
        if (groups == 1 && Kernels.fusedConv(x, kernel, bias, w)) {
            return fusedConv(x, kernel, bias, relu, w, (int) filters, outputShape(x, w, filters));
        }
        Tensor cols = im2col(x, w, 0.0);
        Tensor out;
        if (groups == 1) {
            out = NeuralNetOps.dense(cols.reshape(rows, depth), kernel.reshape(depth, filters), bias, relu);
        } else {
            long perGroup = filters / groups;
            // [rows, cells, groups, in/groups] -> [groups, rows, cells * in/groups]: one batched product per group
            Tensor grouped = cols.reshape(rows, w.windowCells(), groups, in / groups).transpose(2, 0, 1, 3)
                    .reshape(groups, rows, depth);
            Tensor kernels = kernel.reshape(depth, groups, perGroup).transpose(1, 0, 2);
            out = grouped.matmul(kernels).transpose(1, 0, 2).reshape(rows, filters);
            out = bias == null ? out : out.add(bias);
            out = relu ? out.relu() : out;
        }
        return out.reshape(outputShape(x, w, filters));
    }

    /**
     * Keras' Conv1DTranspose/Conv2DTranspose forward without activation: the gradient of {@link #conv} with respect
     * to its input, for an input of the output's size. Each input cell's channels times the kernel give one window
     * of output rows ({@code [rows, in]} times {@code [cells * filters, in]} transposed, one GEMM), which
     * {@code col2im} adds into their cells; the gradients are then {@code im2col} and the GEMM's, as a convolution's.
     * Output sizes and padding follow {@link Windows#transposed}.
     *
     * @param x             {@code [batch, steps, in]} or {@code [batch, height, width, in]}
     * @param kernel        {@code [k, filters, in]} or {@code [kh, kw, filters, in]} (Keras' layout)
     * @param bias          {@code [filters]}, or null
     * @param strides       one per spatial axis
     * @param same          {@code same} padding, else {@code valid}
     * @param outputPadding one per spatial axis, or null for Keras' default
     * @param dilation      one per spatial axis
     * @return {@code [batch, outSteps, filters]} or {@code [batch, outH, outW, filters]}
     */
    public static Tensor convTranspose(Tensor x, Tensor kernel, Tensor bias, int[] strides, boolean same,
            int[] outputPadding, int[] dilation) {
        long[] ks = kernel.shape();
        int spatial = x.rank() - 2;
        if (spatial < 1 || spatial > 2 || ks.length != spatial + 2) {
            throw new IllegalArgumentException("convTranspose: input " + Shapes.format(x.shape()) + " and kernel "
                    + Shapes.format(ks) + " must be rank 3 (1-D: [batch, steps, channels], kernel [k, filters, in]) or "
                    + "rank 4 (2-D: [batch, height, width, channels], kernel [kh, kw, filters, in])");
        }
        ElementwiseOps.checkSameType("convTranspose", x, kernel);
        long in = x.shape()[x.rank() - 1];
        long filters = ks[spatial];
        if (ks[spatial + 1] != in) {
            throw new IllegalArgumentException("convTranspose: input channels " + in + " (shape " + Shapes.format(x.shape())
                    + ") must equal the kernel's last axis (kernel " + Shapes.format(ks) + ", [..., filters, in])");
        }
        if (bias != null && (bias.rank() != 1 || bias.shape()[0] != filters)) {
            throw new IllegalArgumentException("convTranspose: bias " + Shapes.format(bias.shape()) + " must be [" + filters + "]");
        }
        int[] size = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            size[i] = (int) ks[i];
        }
        Windows w = Windows.transposed("convTranspose", x.shape(), filters, size, strides, dilation, same, outputPadding);
        Tensor rows = x.reshape(w.positions(), in).matmul(kernel.reshape(w.windowCells() * filters, in), false, true);
        Tensor out = col2im(rows.reshape(w.windowsShape()), w);
        out = bias == null ? out : out.add(bias);
        return x.rank() == 3 ? out.reshape(w.batch(), w.width(), filters) : out;
    }

    /**
     * Keras' MaxPooling1D/2D: the maximum of each window; padded cells never win (they act as -inf). The gradient
     * goes to the window's first maximal cell, as TensorFlow's.
     *
     * @param x    {@code [batch, steps, channels]} or {@code [batch, height, width, channels]}
     * @param pool window size per spatial axis
     */
    public static Tensor maxPool(Tensor x, int[] pool, int[] strides, boolean same) {
        Windows w = pooling("maxPool", x, pool, strides, same);
        long[] outShape = outputShape(x, w, w.channels());
        // the maximum is a lookup of the winning cell, so its gradient goes to that one cell (TensorFlow's rule)
        Kernels.MaxPooled pooled = Kernels.maxPool(x, w, outShape);
        if (pooled != null) {
            return Graph.record(pooled.output(), "MaxPool", x, g -> maxPoolGradient(x, g, w, pooled.cells()));
        }
        return IndexOps.gatherRows(x.reshape(x.size(), 1), Kernels.maxCells(x, w), outShape);
    }

    /**
     * The fused max pooling's gradient: one Java pass that adds the gradient at the cells the forward pass found.
     * A second-order pass (createGraph) takes the recorded scatter over the same cells instead, whose own gradient
     * is the gather.
     */
    private static Tensor maxPoolGradient(Tensor x, Tensor g, Windows w, int[] cells) {
        Tensor dx = Graph.isRecording() ? null : Kernels.maxPoolGrad(cells, g, w, x.shape());
        if (dx != null) {
            return dx;
        }
        return IndexOps.scatterAddRows(g.reshape(g.size(), 1), cells, new long[] {x.size(), 1}).reshape(x.shape());
    }

    /**
     * Keras' AveragePooling1D/2D: the mean of each window over its real cells only; with {@code same} padding a
     * window that reaches into the padding divides by the cells it covers of the input (TensorFlow's rule).
     */
    public static Tensor avgPool(Tensor x, int[] pool, int[] strides, boolean same) {
        Windows w = pooling("avgPool", x, pool, strides, same);
        Tensor sums = im2col(x, w, 0.0).sum(false, 3);
        Tensor counts;
        if (w.padded()) {
            try (NoGrad scope = NoGrad.enter()) {
                Windows one = new Windows(1, w.height(), w.width(), 1, w.kernelH(), w.kernelW(), w.strideH(), w.strideW(),
                        w.dilationH(), w.dilationW(), w.padTop(), w.padLeft(), w.outH(), w.outW());
                Tensor ones = Tensor.of(new double[w.height() * w.width()], x.dataType(), 1, w.height(), w.width(), 1).add(1.0);
                counts = Kernels.im2col(ones, one, 0.0).sum(false, 3);   // [1, outH, outW, 1]
            }
            sums = sums.div(counts);
        } else {
            sums = sums.div(w.windowCells());
        }
        return sums.reshape(outputShape(x, w, w.channels()));
    }

    private static Windows pooling(String op, Tensor x, int[] pool, int[] strides, boolean same) {
        int[] dilation = new int[pool.length];
        Arrays.fill(dilation, 1);
        return Windows.of(op, x.shape(), pool, strides, dilation, same);
    }

    /**
     * {@link #conv}'s one-group float32 path: {@link FusedConv}, chunk by chunk of images. Its backward is one pass
     * for the three gradients; a second-order pass (createGraph) takes the composition instead, with the ReLU's
     * mask a constant as {@link NeuralNetOps#dense}'s.
     */
    private static Tensor fusedConv(Tensor x, Tensor kernel, Tensor bias, boolean relu, Windows w, int filters,
            long[] outShape) {
        int rows = w.positions();
        int depth = w.windowCells() * w.channels();
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, rows, filters);
        FusedConv.forward(FloatLoops.floats(x), FloatLoops.floats(kernel), bias == null ? null : bias.toFloatArray(), relu,
                FloatLoops.floats(out), FloatLoops.bits(out), w, filters);
        Tensor result = Tensor.of(out.reshape('c', outShape));
        // {the incoming gradient, dx, dKernel, dBias}: one pass over the batch serves the three inputs
        Tensor[] done = new Tensor[4];
        boolean needsDx = Graph.isTracked(x);
        java.util.function.UnaryOperator<Tensor> masking = g -> {
            Tensor m = g.reshape(rows, filters);
            return relu ? m.mul(ActivationOps.positiveMask(result.reshape(rows, filters))) : m;
        };
        java.util.function.UnaryOperator<Tensor> inputGradient = masked -> col2im(masked.matmul(kernel.reshape(depth, filters),
                false, true).reshape(w.windowsShape()), w).reshape(x.shape());
        java.util.function.Consumer<Tensor> pass = g -> {
            if (done[0] == g) {
                return;
            }
            if (Graph.isRecording() || FloatLoops.floats(g) == null) {
                Tensor masked = masking.apply(g);
                done[1] = needsDx ? inputGradient.apply(masked) : null;
                done[2] = im2col(x, w, 0.0).reshape(rows, depth).matmul(masked, true, false).reshape(kernel.shape());
                done[3] = bias == null ? null : masked.sum(false, 0);
            } else {
                INDArray dKernel = Nd4j.createUninitialized(DataType.FLOAT, depth, filters);
                INDArray dx = needsDx ? Nd4j.createUninitialized(DataType.FLOAT, x.shape()) : null;
                double[] dBias = bias == null ? null : new double[filters];
                FusedConv.backward(FloatLoops.floats(x), FloatLoops.floats(kernel), relu ? FloatLoops.floats(result) : null,
                        relu ? FloatLoops.bits(result) : null, FloatLoops.floats(g), FloatLoops.bits(g), w, filters,
                        FloatLoops.floats(dKernel), dBias, dx == null ? null : FloatLoops.floats(dx));
                done[1] = dx == null ? null : Tensor.of(dx);
                done[2] = Tensor.of(dKernel.reshape('c', kernel.shape()));
                if (dBias != null) {
                    float[] column = new float[filters];
                    for (int j = 0; j < filters; j++) {
                        column[j] = (float) dBias[j];
                    }
                    done[3] = Tensor.of(column, filters);
                }
            }
            done[0] = g;
        };
        Vjp dx = g -> {
            pass.accept(g);
            // x untracked when the op ran (so the pass skipped it) but asked for now: the composition's
            return done[1] != null ? done[1] : inputGradient.apply(masking.apply(g));
        };
        Vjp dKernel = g -> {
            pass.accept(g);
            return done[2];
        };
        Vjp dBias = g -> {
            pass.accept(g);
            return done[3];
        };
        String name = relu ? "ConvRelu" : "Conv";
        return bias == null
                ? Graph.record(result, name, new Tensor[] {x, kernel}, new Vjp[] {dx, dKernel})
                : Graph.record(result, name, new Tensor[] {x, kernel, bias}, new Vjp[] {dx, dKernel, dBias});
    }

    private static long[] outputShape(Tensor x, Windows w, long channels) {
        return x.rank() == 3 ? new long[] {w.batch(), w.outW(), channels}
                : new long[] {w.batch(), w.outH(), w.outW(), channels};
    }

    /** Every window of {@code x} as {@code [batch, outH, outW, cells, channels]}; the gradient is {@link #col2im}. */
    static Tensor im2col(Tensor x, Windows w, double padValue) {
        long[] inShape = x.shape();
        Tensor out = Kernels.im2col(x, w, padValue);
        return Graph.record(out, "Im2Col", x, g -> col2im(g, w).reshape(inShape));
    }

    /** Window rows added back into their cells, {@code [batch, height, width, channels]}; the gradient is {@link #im2col}. */
    static Tensor col2im(Tensor cols, Windows w) {
        long[] colsShape = cols.shape();
        Tensor out = Kernels.col2im(cols, w);
        return Graph.record(out, "Col2Im", cols, g -> im2col(g, w, 0.0).reshape(colsShape));
    }
}
