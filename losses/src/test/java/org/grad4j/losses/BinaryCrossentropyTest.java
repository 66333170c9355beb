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

class BinaryCrossentropyTest {
    private static final Tensor LABELS = Tensor.of(new double[] {1, 0, 1, 0, 0, 1, 1, 0, 0.3, 0.8, 0, 1}, DataType.DOUBLE, 4, 3);

    @Test
    void probabilitiesAreClippedInFloat32() {
        // in float32 1 - 1e-7 is 0.99999988, so predicting 1 for a 0 label costs -log(1.1920929e-7)
        Tensor loss = new BinaryCrossentropy().call(Tensor.of(new float[] {0}, 1, 1), Tensor.of(new float[] {1}, 1, 1));
        assertEquals(15.942385f, loss.item(), 1e-5f);
    }

    @Test
    void logitsAgreeWithSigmoidProbabilities() {
        Tensor logits = Tensor.of(new float[] {-3, -0.5f, 0, 0.7f, 2, 4}, 2, 3);
        Tensor labels = Tensor.of(new float[] {0, 1, 1, 0, 1, 0.25f}, 2, 3);
        float fromLogits = new BinaryCrossentropy(true).call(labels, logits).item();
        float fromProbabilities = new BinaryCrossentropy().call(labels, logits.sigmoid()).item();
        assertEquals(fromProbabilities, fromLogits, 1e-5f);
    }

    @Test
    void gradientChecksWithProbabilities() {
        Tensor p = uniform(21, 0.05, 0.95, 4, 3);
        assertGradientOk("bce probs", new BinaryCrossentropy(), LABELS, p);
        assertGradientOk("bce probs weighted", new BinaryCrossentropy(), LABELS, p, uniform(22, 0.5, 2, 4));
        assertGradientOk("bce probs smoothing 0.2, none", new BinaryCrossentropy().labelSmoothing(0.2)
                .reduction(Reduction.NONE), LABELS, p);
        assertGradientOk("bce probs axis 0", new BinaryCrossentropy().axis(0), LABELS, p);
    }

    @Test
    void gradientChecksWithLogitsIncludingExactlyZero() {
        Tensor x = Tensor.of(new double[] {0, 0, -2.5, 1.3, 0, 3.1, -0.4, 0, 0.9, -1.7, 0, 5}, DataType.DOUBLE, 4, 3);
        assertGradientOk("bce logits", new BinaryCrossentropy(true), LABELS, x);
        assertGradientOk("bce logits weighted", new BinaryCrossentropy(true), LABELS, x, uniform(23, 0.5, 2, 4, 1));
        assertGradientOk("bce logits smoothing 0.1, sum", new BinaryCrossentropy(true).labelSmoothing(0.1)
                .reduction(Reduction.SUM), LABELS, x, Tensor.scalar(2.0, DataType.DOUBLE));
    }

    @Test
    void zeroLogitsHaveTheSigmoidGradient() {
        // a zero-initialised model starts exactly here: d/dx = sigmoid(0) - y = 0.5 - y
        Tensor x = Tensor.zeros(1, 4).requiresGrad(true);
        Tensor loss = new BinaryCrossentropy(true).call(Tensor.of(new float[] {1, 0, 1, 0.5f}, 1, 4), x);
        assertEquals((float) Math.log(2), loss.item(), 1e-6f);
        loss.backward();
        assertArrayEquals(new float[] {-0.125f, 0.125f, -0.125f, 0f}, x.grad().toFloatArray(), 1e-7f);
    }

    @Test
    void logitsOfPlusMinus1000GiveFiniteLossAndGradient() {
        Tensor x = Tensor.of(new float[] {1000, -1000, -1000, 1000}, 1, 4).requiresGrad(true);
        Tensor loss = new BinaryCrossentropy(true).call(Tensor.of(new float[] {1, 0, 1, 0}, 1, 4), x);
        assertEquals(500f, loss.item(), 1e-3f);
        loss.backward();
        assertFinite("gradient", x.grad());
        assertArrayEquals(new float[] {0, 0, -0.25f, 0.25f}, x.grad().toFloatArray(), 1e-7f);
    }

    @Test
    void secondDerivativeOfTheFusedOpIsTheSigmoidDerivative() {
        Tensor x = Tensor.of(new double[] {-1.5, 0, 2}, DataType.DOUBLE, 1, 3).requiresGrad(true);
        Tensor loss = new BinaryCrossentropy(true).reduction(Reduction.SUM).call(Tensor.of(new double[] {1, 0, 1}, DataType.DOUBLE, 1, 3), x);
        loss.backward(null, false, true);
        Tensor first = x.grad();
        x.clearGrad();
        first.sum().backward();
        double[] s = {1 / (1 + Math.exp(1.5)), 0.5, 1 / (1 + Math.exp(-2))};
        for (int i = 0; i < 3; i++) {
            // the per-sample loss averages the 3 elements of the last axis
            assertEquals(s[i] * (1 - s[i]) / 3, x.grad().toDoubleArray()[i], 1e-12);
        }
    }

    @Test
    void labelSmoothingMustBeAFraction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BinaryCrossentropy().labelSmoothing(1.5));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
    }

    @Test
    void differentShapesNameBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BinaryCrossentropy(true).call(Tensor.zeros(8), Tensor.zeros(8, 2)));
        assertTrue(e.getMessage().startsWith("BinaryCrossentropy: "), e.getMessage());
        assertTrue(e.getMessage().contains("[8]") && e.getMessage().contains("[8, 2]"), e.getMessage());
    }
}
