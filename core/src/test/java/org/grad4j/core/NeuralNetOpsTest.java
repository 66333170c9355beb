package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The fused dense op against its composition {@code relu(x · kernel + bias)} in float64 (whose ops are
 * gradient-checked in {@code OpGradientCheckTest}): the same values and gradients, to float32 precision.
 */
class NeuralNetOpsTest {

    private static void compare(boolean relu, boolean withBias, long batch) {
        Tensor x = Tensor.randomNormal(new long[] {batch, 50}, 0, 1, 1);
        Tensor kernel = Tensor.randomNormal(new long[] {50, 90}, 0, 0.2, 2);
        Tensor bias = Tensor.randomNormal(new long[] {90}, 0, 0.5, 3);
        Tensor upstream = Tensor.randomNormal(new long[] {batch, 90}, 0, 1, 4);
        List<Tensor> fused = gradients(x, kernel, withBias ? bias : null, upstream, relu, true);
        List<Tensor> exact = gradients(x.castTo(DataType.DOUBLE), kernel.castTo(DataType.DOUBLE),
                withBias ? bias.castTo(DataType.DOUBLE) : null, upstream.castTo(DataType.DOUBLE), relu, false);
        String[] names = {"value", "dx", "dkernel", "dbias"};
        for (int i = 0; i < fused.size(); i++) {
            assertArrayEquals(exact.get(i).shape(), fused.get(i).shape(), names[i] + " shape");
            double[] e = exact.get(i).toDoubleArray();
            double[] f = fused.get(i).toDoubleArray();
            for (int k = 0; k < e.length; k++) {
                assertEquals(e[k], f[k], 1e-4 * Math.max(1, Math.abs(e[k])), names[i] + " at " + k + " (relu " + relu + ")");
            }
        }
    }

    /** The output, then the gradients of sum(out * upstream) for x, kernel and (if given) bias. */
    private static List<Tensor> gradients(Tensor x, Tensor kernel, Tensor bias, Tensor upstream, boolean relu, boolean fused) {
        GradientTape tape = GradientTape.open();
        Tensor out;
        try (tape) {
            tape.watch(x, kernel);
            if (bias != null) {
                tape.watch(bias);
            }
            if (fused) {
                out = NeuralNetOps.dense(x, kernel, bias, relu);
            } else {
                Tensor z = x.matmul(kernel);
                z = bias == null ? z : z.add(bias);
                out = relu ? z.relu() : z;
            }
        }
        Tensor loss = out.mul(upstream).sum();
        List<Tensor> grads = new java.util.ArrayList<>(List.of(out.detach()));
        grads.addAll(tape.gradient(loss, bias == null ? List.of(x, kernel) : List.of(x, kernel, bias)));
        return grads;
    }

    @Test
    void fusedDenseMatchesItsComposition() {
        compare(true, true, 120);
        compare(false, true, 120);
        compare(true, false, 120);
    }

    /**
     * In float32 the fused output is the composition's bit for bit (the same product, then the bias and the ReLU in
     * float): biases of every special value, sums that cancel to +0.0 or -0.0, large and small outputs.
     */
    @Test
    void fusedDenseEqualsItsFloat32CompositionBitForBit() {
        for (long batch : new long[] {120, 40, 3}) {
            assertFusedEqualsComposition(batch, 50, 90);
        }
    }

    /** A product wide enough for grad4j to split its columns over the cores ([64, 512] x [512, 256]): the same bits. */
    @Test
    void fusedDenseOfAProductSplitByColumnsEqualsItsFloat32CompositionBitForBit() {
        Assumptions.assumeTrue(Parallel.cores() > 1, "a product is split by columns only on more than one core");
        assertTrue(BlasThreads.splitsColumns(64L * 512 * 256, 256), "the product must be split by columns");
        assertFusedEqualsComposition(64, 512, 256);
    }

    private static void assertFusedEqualsComposition(long batch, int in, int units) {
        float[] special = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        Tensor x = Tensor.randomNormal(new long[] {batch, in}, 0, 1, 5);
        // columns 0-10: a zero kernel column, so the sum is exactly the bias (+0.0 + -0.0 and the like)
        float[] k = Tensor.randomNormal(new long[] {in, units}, 0, 0.2, 6).toFloatArray();
        for (int r = 0; r < in; r++) {
            for (int c = 0; c < special.length; c++) {
                k[r * units + c] = 0f;
            }
        }
        Tensor kernel = Tensor.of(k, in, units);
        float[] b = Tensor.randomNormal(new long[] {units}, 0, 0.5, 7).toFloatArray();
        for (int c = 0; c < 2 * special.length; c++) {
            b[c] = special[c % special.length];
        }
        // and the same specials in the right half, which the second column part computes
        for (int c = 0; c < special.length; c++) {
            b[units - 1 - c] = special[c];
        }
        Tensor bias = Tensor.of(b, units);
        for (boolean relu : new boolean[] {true, false}) {
            for (Tensor withBias : new Tensor[] {bias, null}) {
                float[] fused = NeuralNetOps.dense(x, kernel, withBias, relu).toFloatArray();
                Tensor z = x.matmul(kernel);
                z = withBias == null ? z : z.add(withBias);
                float[] composed = (relu ? z.relu() : z).toFloatArray();
                for (int i = 0; i < fused.length; i++) {
                    if (!TwoPaths.same(fused[i], composed[i])) {
                        throw new AssertionError("batch " + batch + " x " + in + " x " + units + ", relu " + relu
                                + ", bias " + (withBias != null) + ", at " + i + ": fused " + fused[i] + ", composed "
                                + composed[i]);
                    }
                }
            }
        }
    }

    @Test
    void fusedDenseMatchesItsCompositionForMidSizedOutputsOfAnNd4jProduct() {
        // 40 x 90 outputs: at most SMALL, but from a kernel too large for a Java product (the tutorial's 32 x 128)
        compare(true, true, 40);
        compare(false, true, 40);
        compare(true, false, 40);
    }

    /**
     * 3,000 x 90 outputs, over {@link FloatLoops#PARALLEL_FROM}: the backward's mask and bias sums run in parts, each
     * summing its rows into its own stretch of the calling thread's kept array. Run again, the sums must start from
     * zero, not from the last call's.
     */
    @Test
    void fusedDenseMatchesItsCompositionWhenTheBackwardRunsInParts() {
        assertTrue(3000L * 90 >= FloatLoops.PARALLEL_FROM, "the batch must be large enough to split");
        compare(true, true, 3000);
        compare(false, true, 3000);
        compare(true, true, 3000);
    }

    /** d/dkernel of sum((d sum(dense(x)²) / dx)²): the backward itself is differentiated (an outer tape). */
    private static double[] secondOrder(Tensor x, Tensor kernel, Tensor bias, boolean fused) {
        GradientTape outer = GradientTape.persistent();
        Tensor penalty;
        try (outer) {
            outer.watch(kernel);
            GradientTape inner = GradientTape.open();
            Tensor loss;
            try (inner) {
                inner.watch(x);
                Tensor out = fused ? NeuralNetOps.dense(x, kernel, bias, true) : x.matmul(kernel).add(bias).relu();
                loss = out.square().sum();
            }
            penalty = inner.gradient(loss, List.of(x)).get(0).square().sum();
        }
        return outer.gradient(penalty, List.of(kernel)).get(0).toDoubleArray();
    }

    @Test
    void theFusedBackwardCanItselfBeDifferentiated() {
        Tensor x = Tensor.randomNormal(new long[] {100, 50}, 0, 1, 5);
        Tensor kernel = Tensor.randomNormal(new long[] {50, 90}, 0, 0.2, 6);
        Tensor bias = Tensor.randomNormal(new long[] {90}, 0, 0.5, 7);
        double[] fused = secondOrder(x, kernel, bias, true);
        double[] exact = secondOrder(x.castTo(DataType.DOUBLE), kernel.castTo(DataType.DOUBLE), bias.castTo(DataType.DOUBLE), false);
        for (int k = 0; k < exact.length; k++) {
            assertEquals(exact[k], fused[k], 1e-3 * Math.max(1, Math.abs(exact[k])), "at " + k);
        }
    }

    @Test
    void theFusedPathIsTakenForLargeFloatMatricesAndNamedSo() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.JAVA,
                "-Dgrad4j.kernels=nd4j: the fused pass is a Java loop over ND4J's memory, so nd4j mode composes ND4J ops");
        Tensor x = Tensor.randomNormal(new long[] {120, 50}, 0, 1, 1).requiresGrad(true);
        Tensor kernel = Tensor.randomNormal(new long[] {50, 90}, 0, 1, 2);
        Tensor bias = Tensor.zeros(90);
        assertEquals("DenseReluBackward", NeuralNetOps.dense(x, kernel, bias, true).gradFn().name());
        // a small product keeps the Java loops of the composition
        Tensor small = Tensor.randomNormal(new long[] {4, 50}, 0, 1, 1).requiresGrad(true);
        assertEquals("ReluBackward", NeuralNetOps.dense(small, kernel, bias, true).gradFn().name());
        // a mid-sized output of an ND4J product is fused: the composition would be ND4J ops on it
        Tensor mid = Tensor.randomNormal(new long[] {40, 50}, 0, 1, 1).requiresGrad(true);
        assertEquals("DenseReluBackward", NeuralNetOps.dense(mid, kernel, bias, true).gradFn().name());
    }
}
