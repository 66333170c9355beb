package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused softmax cross-entropy of a small float32 matrix gives, bit for bit, the values and the logits'
 * gradient of the composition it replaced (max, subtract, exp, sum, log, subtract, multiply, sum, negate; and
 * {@code g * (softmax * sum(labels) - labels)} backward), infinities and signed zeros included, NaN where it
 * gives NaN.
 */
class SoftmaxCrossEntropyFusedTest {

    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 80f, -80f, 1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE};

    @Test
    void valuesAndGradientEqualTheComposition() {
        int[][] shapes = {{1, 1}, {1, 10}, {7, 1}, {32, 10}, {128, 10}, {3, 1365}};
        assertEquals(120, checkRounds(new SplittableRandom(17), shapes, 20, false));
    }

    /**
     * Logits and labels in ND4J's memory up to {@link Kernels#SMALL} elements (a batch of 256 over 10 classes) take
     * the fused pass too, and give the same bits as from Java arrays: the Java composition's. (ND4J's own
     * composition sums in float, the Java kernels in double: sums of three terms or more may differ in the last
     * bit, as {@code JavaKernelsMatchNd4jTest} says.)
     */
    @Test
    void nd4jBackedInputsTakeTheFusedPassWithTheSameBits() {
        int[][] shapes = {{128, 10}, {256, 10}, {2, 2048}, {4096, 1}};
        assertEquals(48, checkRounds(new SplittableRandom(29), shapes, 12, true));
    }

    /**
     * {@code rounds} inputs per shape, checked: the first half of the rounds with Gaussian logits, the rest with
     * special values; labels one-hot, smoothed (rows that do not sum to 1) or special by turns. Returns the count.
     */
    private static int checkRounds(SplittableRandom random, int[][] shapes, int rounds, boolean nd4j) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.JAVA, "Java kernels off: nothing is fused");
        int checked = 0;
        for (int[] shape : shapes) {
            for (int round = 0; round < rounds; round++) {
                int size = shape[0] * shape[1];
                float[] x = new float[size];
                float[] y = new float[size];
                float[] g = new float[shape[0]];
                for (int i = 0; i < size; i++) {
                    x[i] = round < rounds / 2 ? (float) random.nextGaussian() * 5 : SPECIAL[random.nextInt(SPECIAL.length)];
                    y[i] = round % 3 == 0 ? (random.nextInt(shape[1]) == 0 ? 1f : 0f)
                            : round % 3 == 1 ? (float) random.nextDouble() : SPECIAL[random.nextInt(SPECIAL.length)];
                }
                for (int r = 0; r < g.length; r++) {
                    g[r] = round % 2 == 0 ? 1f / g.length : SPECIAL[random.nextInt(SPECIAL.length)];
                }
                check(x, y, g, shape, nd4j);
                checked++;
            }
        }
        return checked;
    }

    private static Tensor matrix(float[] values, int[] shape, boolean nd4j) {
        return nd4j ? Tensor.of(org.nd4j.linalg.factory.Nd4j.createFromArray(values).reshape(shape[0], shape[1]))
                : Tensor.of(values, shape[0], shape[1]);
    }

    private static void check(float[] x, float[] y, float[] g, int[] shape, boolean nd4j) {
        Tensor labels = matrix(y, shape, nd4j);
        Tensor logits = matrix(x, shape, nd4j).requiresGrad(true);
        assertEquals(nd4j, !labels.isSmallBacked() && !logits.isSmallBacked());
        assertTrue(Tensor.of(x, shape[0], shape[1]).isSmallBacked(), "the composition runs on Java arrays");
        assertTrue(Kernels.fusedSoftmaxCrossEntropy(labels, logits, 1));
        Tensor loss = NeuralNetOps.softmaxCrossEntropyWithLogits(labels, logits, 1);
        loss.backward(Tensor.of(g, shape[0]), false, false);

        Tensor expected;
        Tensor expectedGradient;
        try (NoGrad scope = NoGrad.enter()) {
            Tensor plain = Tensor.of(x, shape[0], shape[1]);
            Tensor labelsInJava = Tensor.of(y, shape[0], shape[1]);
            Tensor shifted = plain.sub(plain.max(true, 1));
            Tensor logProbs = shifted.sub(shifted.exp().sum(true, 1).log());
            expected = logProbs.mul(labelsInJava).sum(false, 1).neg();
            expectedGradient = Tensor.of(g, shape[0]).expandDims(1)
                    .mul(plain.softmax(1).mul(labelsInJava.sum(true, 1)).sub(labelsInJava));
        }
        assertBits(expected.toFloatArray(), loss.toFloatArray(), "loss", shape);
        assertBits(expectedGradient.toFloatArray(), logits.grad().toFloatArray(), "gradient", shape);
    }

    private static void assertBits(float[] expected, float[] actual, String what, int[] shape) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToRawIntBits(expected[i]);
            int a = Float.floatToRawIntBits(actual[i]);
            // a NaN is a NaN: Java leaves its sign and payload to the hardware and the JIT's operand order
            if (e != a && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
                throw new AssertionError(what + " of [" + shape[0] + ", " + shape[1] + "] at " + i + ": expected "
                        + expected[i] + " (0x" + Integer.toHexString(e) + ") but was " + actual[i] + " (0x"
                        + Integer.toHexString(a) + ")");
            }
        }
    }
}
