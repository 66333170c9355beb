package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The one-group float32 convolution ({@link FusedConv}, chunks of images) against the composition it replaces
 * (im2col of the whole batch, one product, bias, ReLU), written out here, for outputs past the small size where
 * both products are BLAS calls: the same outputs and gradients within float32 rounding (the products run over
 * other row counts, and the kernel's gradient is summed chunk by chunk), for strides, same padding,
 * dilation, 1-D inputs, a batch larger than a chunk and one split over the cores, with and without bias, ReLU,
 * and an input that needs a gradient.
 */
class FusedConvTest {

    private record Case(long[] input, long[] kernel, int[] strides, boolean same, int[] dilation) {
    }

    private static final List<Case> CASES = List.of(
            new Case(new long[] {48, 7, 6, 2}, new long[] {3, 3, 2, 5}, new int[] {1, 1}, false, new int[] {1, 1}),
            new Case(new long[] {60, 9, 8, 3}, new long[] {3, 2, 3, 4}, new int[] {2, 2}, true, new int[] {1, 1}),
            new Case(new long[] {16, 10, 9, 1}, new long[] {2, 3, 1, 6}, new int[] {1, 2}, true, new int[] {2, 2}),
            new Case(new long[] {100, 12, 3}, new long[] {3, 3, 7}, new int[] {2}, true, new int[] {1}),
            // the Keras convnet's second layer on 40 images: several chunks, and the cores' split
            new Case(new long[] {40, 13, 13, 32}, new long[] {3, 3, 32, 64}, new int[] {1, 1}, false, new int[] {1, 1}));

    @Test
    void fusedEqualsTheComposition() {
        assumeTrue(Kernels.JAVA, "-Dgrad4j.kernels=nd4j has no fused path: every convolution is the composition");
        for (Case c : CASES) {
            for (boolean relu : new boolean[] {true, false}) {
                for (boolean withBias : new boolean[] {true, false}) {
                    for (boolean inputGradient : new boolean[] {true, false}) {
                        check(c, relu, withBias, inputGradient);
                    }
                }
            }
        }
    }

    private static void check(Case c, boolean relu, boolean withBias, boolean inputGradient) {
        String what = java.util.Arrays.toString(c.input()) + " * " + java.util.Arrays.toString(c.kernel()) + " relu=" + relu
                + " bias=" + withBias + " dx=" + inputGradient;
        Tensor x = Tensor.randomNormal(c.input(), 0, 1, 11);
        Tensor kernel = Tensor.randomNormal(c.kernel(), 0, 0.3, 12);
        long filters = c.kernel()[c.kernel().length - 1];
        Tensor bias = withBias ? Tensor.randomNormal(new long[] {filters}, 0, 0.5, 13) : null;
        assertEquals(DataType.FLOAT, x.dataType());
        int spatial = c.input().length - 2;
        int[] size = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            size[i] = (int) c.kernel()[i];
        }
        Windows w = Windows.of("conv", x.shape(), size, c.strides(), c.dilation(), c.same());
        assertTrue(Kernels.fusedConv(x, kernel, bias, w), what + ": takes the fused path");

        List<Tensor> sources = new ArrayList<>(List.of(kernel));
        if (withBias) {
            sources.add(bias);
        }
        if (inputGradient) {
            sources.add(x);
        }
        Tensor upstream;
        Tensor fused;
        List<Tensor> fusedGrads;
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(sources.toArray(new Tensor[0]));
            fused = ConvolutionOps.conv(x, kernel, bias, relu, c.strides(), c.same(), c.dilation(), 1);
            upstream = Tensor.randomNormal(fused.shape(), 0, 1, 14);
            fusedGrads = tape.gradient(fused.mul(upstream).sum(), sources);
        }
        Tensor composed;
        List<Tensor> composedGrads;
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(sources.toArray(new Tensor[0]));
            long depth = (long) w.windowCells() * w.channels();
            Tensor z = ConvolutionOps.im2col(x, w, 0.0).reshape(w.positions(), depth).matmul(kernel.reshape(depth, filters));
            z = withBias ? z.add(bias) : z;
            z = relu ? z.relu() : z;
            composed = z.reshape(fused.shape());
            composedGrads = tape.gradient(composed.mul(upstream).sum(), sources);
        }
        assertArrayEquals(composed.shape(), fused.shape(), what);
        float[] expected = composed.toFloatArray();
        float[] actual = fused.toFloatArray();
        double outScale = 0;
        for (float v : expected) {
            outScale = Math.max(outScale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            // the same dot products, in GEMM calls of other row counts: OpenBLAS's edge rows may round differently
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, outScale), what + ": output " + i);
            assertEquals(expected[i] > 0, actual[i] > 0, what + ": the ReLU's side at " + i);
        }
        for (int s = 0; s < sources.size(); s++) {
            assertArrayEquals(composedGrads.get(s).shape(), fusedGrads.get(s).shape(), what + ": gradient " + s);
            float[] e = composedGrads.get(s).toFloatArray();
            float[] a = fusedGrads.get(s).toFloatArray();
            double scale = 0;
            for (float v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < e.length; i++) {
                // float32 sums of up to a few thousand terms in another order: rounding near 1e-6 of the largest
                assertEquals(e[i], a[i], 1e-5 * Math.max(1, scale), what + ": gradient " + s + " at " + i);
            }
        }
    }

    @Test
    void anInputThatNeedsNoGradientGetsNone() {
        Tensor x = Tensor.randomNormal(new long[] {64, 5, 5, 1}, 0, 1, 3);
        Tensor kernel = Tensor.randomNormal(new long[] {3, 3, 1, 4}, 0, 1, 4);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(kernel);
            Tensor out = ConvolutionOps.conv(x, kernel, null, true, new int[] {1, 1}, false, new int[] {1, 1}, 1);
            List<Tensor> grads = tape.gradient(out.sum(), List.of(kernel, x), UnconnectedGradients.NONE);
            assertArrayEquals(kernel.shape(), grads.get(0).shape());
            assertNull(grads.get(1), "x was not watched");
        }
    }
}
