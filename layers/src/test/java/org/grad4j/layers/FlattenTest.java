package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlattenTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void contract() {
        Flatten flatten = new Flatten();
        Tensor x = normal(1, 2, 3, 4);
        Tensor y = flatten.apply(x);

        assertShape(new long[] {2, 12}, y);
        assertArrayEquals(y.shape(), flatten.computeOutputShape(2, 3, 4));
        assertArrayEquals(new long[] {-1, 12}, flatten.computeOutputShape(-1, 3, 4));
        assertArrayEquals(new long[] {-1, -1}, flatten.computeOutputShape(-1, -1, 4));
        assertEquals(0, flatten.countParams());
        assertTrue(flatten.weights().isEmpty());
        assertEquals("flatten", flatten.name());
        // row-major order, as NumPy's reshape
        assertArrayEquals(x.toFloatArray(), y.toFloatArray());
    }

    @Test
    void rank1AndRank2Inputs() {
        Flatten flatten = new Flatten();
        assertShape(new long[] {5, 1}, flatten.apply(normal(1, 5)));
        assertShape(new long[] {5, 3}, flatten.apply(normal(2, 5, 3)));
        assertArrayEquals(new long[] {-1, 1}, flatten.computeOutputShape(-1));
        var e = assertThrows(IllegalArgumentException.class, () -> flatten.apply(Tensor.scalar(1f)));
        assertEquals("flatten (Flatten): input must have rank >= 1, got shape []", e.getMessage());
    }

    @Test
    void theGradientComesBackInTheInputShape() {
        Tensor x = normal(3, 2, 3, 4);
        GradientTape tape = GradientTape.open();
        Tensor y;
        try (tape) {
            tape.watch(x);
            y = new Flatten().apply(x, true).mul(2.0).sum();
        }
        Tensor g = tape.gradient(y, x);
        assertShape(new long[] {2, 3, 4}, g);
        for (float v : g.toFloatArray()) {
            assertEquals(2f, v);
        }
    }
}
