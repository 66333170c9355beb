package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;

class ActivationsTest {
    /** Where the relu family's derivative jumps. */
    private static final double[] KINKS = {0.0};

    @TestFactory
    Stream<DynamicTest> everyActivationPassesTheGradientCheck() {
        return Arrays.stream(Activations.values()).map(a -> DynamicTest.dynamicTest(a.kerasName(), () -> {
            // N(0, 2.5²) on [4, 5] reaches the saturated tails; hard_sigmoid gets fixed values on both
            // sides of its kinks at -3 and 3.
            Tensor x = a == Activations.HARD_SIGMOID
                    ? Tensor.of(new double[] {-4.2, -3.4, -2.6, -1.1, -0.2, 0.4, 1.3, 2.2, 2.8, 3.3, 4.1, 5.0}, DataType.DOUBLE, 3, 4)
                    : LayerTesting.normal(a.ordinal() + 1, DataType.DOUBLE, 2.5, KINKS, 4, 5);
            double error = GradientCheck.check(in -> a.apply(in.get(0)), List.of(x));
            assertTrue(error < GRADIENT_BOUND, a.kerasName() + ": max relative error " + error);
        }));
    }

    @Test
    void elementWiseValuesFollowKerasDefinitions() {
        double[] xs = {-4.0, -1.5, -0.3, 0.4, 1.0, 2.7, 5.0};
        double selu = 1.0507009873554804934193349852946;
        double seluAlpha = 1.6732632423543772848170429916717;
        assertValues(Activations.LINEAR, xs, x -> x);
        assertValues(Activations.RELU, xs, x -> Math.max(x, 0));
        assertValues(Activations.SIGMOID, xs, x -> 1 / (1 + Math.exp(-x)));
        assertValues(Activations.TANH, xs, Math::tanh);
        assertValues(Activations.LEAKY_RELU, xs, x -> x > 0 ? x : 0.2 * x);
        assertValues(Activations.ELU, xs, x -> x > 0 ? x : Math.exp(x) - 1);
        assertValues(Activations.SELU, xs, x -> selu * (x > 0 ? x : seluAlpha * (Math.exp(x) - 1)));
        assertValues(Activations.SOFTPLUS, xs, x -> Math.log1p(Math.exp(x)));
        assertValues(Activations.SOFTSIGN, xs, x -> x / (1 + Math.abs(x)));
        assertValues(Activations.SWISH, xs, x -> x / (1 + Math.exp(-x)));
        assertValues(Activations.HARD_SIGMOID, xs, x -> Math.min(Math.max(x + 3, 0), 6) / 6);
    }

    @Test
    void geluIsTheExactErfForm() {
        // x * Phi(x) with the standard normal CDF: Phi(1) = 0.8413447460685429, Phi(-1) = 0.15865525393145707
        Tensor y = Activations.GELU.apply(Tensor.of(new double[] {1.0, -1.0, 0.0}, DataType.DOUBLE));
        assertArrayEquals(new double[] {0.8413447460685429, -0.15865525393145707, 0.0}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void softmaxAndLogSoftmaxWorkOnTheLastAxis() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 1000, 1000, 1000}, DataType.DOUBLE, 2, 3);
        double[] p = Activations.SOFTMAX.apply(x).toDoubleArray();
        double e = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / e, Math.exp(2) / e, Math.exp(3) / e, 1 / 3.0, 1 / 3.0, 1 / 3.0}, p, 1e-12);
        double[] logP = Activations.LOG_SOFTMAX.apply(x).toDoubleArray();
        for (int i = 0; i < p.length; i++) {
            assertEquals(Math.log(p[i]), logP[i], 1e-12);
        }
    }

    @Test
    void getReadsKerasNamesCaseInsensitively() {
        for (Activations a : Activations.values()) {
            assertSame(a, Activations.get(a.kerasName()));
            assertSame(a, Activations.get(a.name()));
        }
        assertSame(Activations.SWISH, Activations.get("silu"));
        assertSame(Activations.RELU, Activations.get("ReLU"));
        assertSame(Activations.LINEAR, Activations.get(null));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Activations.get("rleu"));
        assertEquals("Activations.get: unknown activation \"rleu\" (known: linear, relu, sigmoid, tanh, softmax, "
                + "log_softmax, leaky_relu, elu, selu, gelu, softplus, softsign, swish, hard_sigmoid, silu)", e.getMessage());
    }

    @Test
    void aRegisteredActivationIsFoundByNameInAnyCase() {
        ActivationFunction doubled = ActivationFunction.of("doubled", x -> x.mul(2));
        Activations.registry().register("doubled", config -> doubled);
        try {
            assertSame(doubled, Activations.get("DOUBLED"));
            Dense dense = new Dense(3, "doubled");
            assertSame(doubled, dense.activation());
            assertEquals("doubled", dense.config().get("activation"));
            assertSame(doubled, Dense.fromConfig(dense.config()).activation());
            assertEquals(6f, dense.activation().apply(Tensor.of(new float[] {3f}, 1)).toFloatArray()[0]);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Activations.registry().register("RELU", config -> doubled));
            assertTrue(e.getMessage().contains("already registered"), e.getMessage());
        } finally {
            Activations.registry().unregister("doubled");
        }
        assertThrows(IllegalArgumentException.class, () -> Activations.get("doubled"));
        assertSame(Activations.RELU, new Dense(64, Activations.RELU).activation());
    }

    private static void assertValues(Activations a, double[] xs, DoubleUnaryOperator expected) {
        double[] got = a.apply(Tensor.of(xs.clone(), DataType.DOUBLE)).toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(expected.applyAsDouble(xs[i]), got[i], 1e-12, a.kerasName() + "(" + xs[i] + ")");
        }
    }
}
