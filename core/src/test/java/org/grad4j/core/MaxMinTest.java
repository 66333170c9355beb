package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** max() and min() over everything and over axes: values, shapes and how ties share the gradient. */
class MaxMinTest {
    private static final float[] VALUES = {3, 1, 3, -2, 5, -2};

    @Test
    void overEverythingAndOverAxes() {
        Tensor x = Tensor.of(VALUES, 2, 3);
        assertEquals(0, x.max().rank());
        assertEquals(5f, x.max().item());
        assertEquals(-2f, x.min().item());
        assertArrayEquals(new float[] {3, 5}, x.max(false, 1).toFloatArray());
        assertArrayEquals(new float[] {1, -2}, x.min(false, 1).toFloatArray());
        assertArrayEquals(new long[] {1, 3}, x.min(true, 0).shape());
        assertArrayEquals(new float[] {-2, 1, -2}, x.min(true, 0).toFloatArray());
        assertArrayEquals(new long[] {1, 1}, x.min(true).shape());
    }

    @Test
    void tiesShareTheGradientEquallyAsMaxOverAxesAlwaysDid() {
        Tensor x = Tensor.of(VALUES, 2, 3).requiresGrad(true);
        x.max(false, 1).sum().backward();
        assertArrayEquals(new float[] {0.5f, 0, 0.5f, 0, 1, 0}, x.grad().toFloatArray());
        x.clearGrad();
        x.min().backward();
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 0, 0.5f}, x.grad().toFloatArray());
        x.clearGrad();
        x.max().backward();
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0}, x.grad().toFloatArray());
        x.clearGrad();
        x.min(false, 1).sum().backward();
        assertArrayEquals(new float[] {0, 1, 0, 0.5f, 0, 0.5f}, x.grad().toFloatArray());
    }

    @Test
    void anEmptyTensorHasNoMinimum() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).min());
        assertTrue(e.getMessage().contains("min") && e.getMessage().contains("[0, 3]"), e.getMessage());
    }
}
