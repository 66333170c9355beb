package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActivationTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void contract() {
        Activation softmax = new Activation("softmax");
        Tensor x = normal(1, 8, 5);
        Tensor y = softmax.apply(x);

        assertShape(new long[] {8, 5}, y);
        assertArrayEquals(y.shape(), softmax.computeOutputShape(8, 5));
        assertArrayEquals(new long[] {-1, 5}, softmax.computeOutputShape(-1, 5));
        assertEquals(0, softmax.countParams());
        assertTrue(softmax.weights().isEmpty());
        assertEquals("activation", softmax.name());
        assertEquals("activation_1 (Activation)", new Activation(Activations.RELU).describe());
        assertArrayEquals(Activations.SOFTMAX.apply(x).toFloatArray(), y.toFloatArray(), 0f);
    }

    @Test
    void gradientFlowsThroughToTheInput() {
        Activation tanh = new Activation(Activations.TANH);
        Tensor x = normal(2, 3, 4);
        GradientTape tape = GradientTape.open();
        Tensor y;
        try (tape) {
            tape.watch(x);
            y = tanh.apply(x, true).sum();
        }
        Tensor g = tape.gradient(y, x);
        Tensor expected = x.tanh().square().rsub(1.0);
        assertArrayEquals(expected.toFloatArray(), g.toFloatArray(), 1e-6f);
    }

    @Test
    void nullIsLinearAndUnknownNamesFail() {
        assertSame(Activations.LINEAR, new Activation((String) null).activation());
        var e = assertThrows(IllegalArgumentException.class, () -> new Activation("rleu"));
        assertTrue(e.getMessage().startsWith("Activations.get: unknown activation \"rleu\" (known: linear, relu, "));
    }
}
