package org.grad4j.losses;

import static org.grad4j.losses.LossTesting.assertFinite;
import static org.grad4j.losses.LossTesting.assertGradientOk;
import static org.grad4j.losses.LossTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class CategoricalCrossentropyTest {
    private static final Tensor ONE_HOT = Tensor.of(new double[] {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0}, DataType.DOUBLE, 3, 4);

    @Test
    void probabilitiesAreRenormalisedThenClipped() {
        // the row sums to 2: p = [0.5, 1.5] / 2
        Tensor loss = new CategoricalCrossentropy().call(Tensor.of(new float[] {0, 1}, 1, 2), Tensor.of(new float[] {0.5f, 1.5f}, 1, 2));
        assertEquals((float) -Math.log(0.75), loss.item(), 1e-6f);
    }

    @Test
    void logitsAgreeWithSoftmaxProbabilities() {
        Tensor logits = Tensor.of(new float[] {2, -1, 0.5f, 0.1f, 3, 2.9f}, 2, 3);
        Tensor labels = Tensor.of(new float[] {1, 0, 0, 0.2f, 0.3f, 0.5f}, 2, 3);
        float fromLogits = new CategoricalCrossentropy(true).call(labels, logits).item();
        float fromProbabilities = new CategoricalCrossentropy().call(labels, logits.softmax(-1)).item();
        assertEquals(fromProbabilities, fromLogits, 1e-5f);
    }

    @Test
    void gradientChecksWithProbabilities() {
        Tensor p = uniform(31, 0.1, 1, 3, 4);
        Tensor soft = uniform(32, 0, 1, 3, 4);
        assertGradientOk("cce probs", new CategoricalCrossentropy(), ONE_HOT, p);
        assertGradientOk("cce probs soft labels, weighted", new CategoricalCrossentropy(), soft, p, uniform(33, 0.5, 2, 3));
        assertGradientOk("cce probs smoothing 0.1, none", new CategoricalCrossentropy().labelSmoothing(0.1)
                .reduction(Reduction.NONE), ONE_HOT, p);
        assertGradientOk("cce probs axis 1", new CategoricalCrossentropy().axis(1),
                uniform(34, 0, 1, 2, 3, 2), uniform(35, 0.1, 1, 2, 3, 2));
    }

    @Test
    void gradientChecksWithLogits() {
        Tensor x = uniform(36, -3, 3, 3, 4);
        assertGradientOk("cce logits", new CategoricalCrossentropy(true), ONE_HOT, x);
        assertGradientOk("cce logits zeros", new CategoricalCrossentropy(true), ONE_HOT, Tensor.of(new double[12], DataType.DOUBLE, 3, 4));
        assertGradientOk("cce logits smoothing 0.2, weighted", new CategoricalCrossentropy(true).labelSmoothing(0.2),
                ONE_HOT, x, uniform(37, 0.5, 2, 3, 1));
        assertGradientOk("cce logits weighted, mean_with_sample_weight", new CategoricalCrossentropy(true)
                .reduction(Reduction.MEAN_WITH_SAMPLE_WEIGHT), uniform(38, 0, 1, 3, 4), x, uniform(39, 0.5, 2, 3));
        assertGradientOk("cce logits axis 0", new CategoricalCrossentropy(true).axis(0), ONE_HOT, x);
    }

    @Test
    void logitsOfPlusMinus1000GiveFiniteLossAndGradient() {
        Tensor x = Tensor.of(new float[] {1000, -1000, 0, -1000, 1000, 1000}, 2, 3).requiresGrad(true);
        Tensor loss = new CategoricalCrossentropy(true).call(Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3), x);
        // row 1 misses by 2000; row 2 by 2000 + log 2
        assertEquals((2000 + 2000 + Math.log(2)) / 2, loss.item(), 1e-3);
        loss.backward();
        assertFinite("gradient", x.grad());
        assertArrayEquals(new float[] {0.5f, -0.5f, 0, -0.5f, 0.25f, 0.25f}, x.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void classIndicesAreNamedWithTheSparseHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalCrossentropy(true).call(Tensor.zeros(32), Tensor.zeros(32, 3)));
        String m = e.getMessage();
        assertTrue(m.startsWith("CategoricalCrossentropy: "), m);
        assertTrue(m.contains("y_true shape [32]") && m.contains("y_pred shape [32, 3]"), m);
        assertTrue(m.contains("use SparseCategoricalCrossentropy"), m);
        e = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalCrossentropy().call(Tensor.zeros(32, 1), Tensor.zeros(32, 3)));
        assertTrue(e.getMessage().contains("use SparseCategoricalCrossentropy"), e.getMessage());
    }

    @Test
    void otherMismatchesNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalCrossentropy().call(Tensor.zeros(32, 4), Tensor.zeros(32, 3)));
        assertTrue(e.getMessage().contains("[32, 4]") && e.getMessage().contains("[32, 3]"), e.getMessage());
        assertTrue(!e.getMessage().contains("Sparse"), e.getMessage());
    }
}
