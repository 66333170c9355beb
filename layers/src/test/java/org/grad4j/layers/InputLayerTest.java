package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InputLayerTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void contract() {
        InputLayer input = new InputLayer(9);
        Tensor x = normal(1, 32, 9);
        Tensor y = input.apply(x);

        assertSame(x, y);
        assertArrayEquals(y.shape(), input.computeOutputShape(32, 9));
        assertArrayEquals(new long[] {-1, 9}, input.computeOutputShape(-1, 9));
        assertArrayEquals(new long[] {-1, 9}, input.batchShape());
        assertArrayEquals(new long[] {9}, input.shape());
        assertEquals(0, input.countParams());
        assertTrue(input.weights().isEmpty());
        assertEquals("input_layer", input.name());
        assertEquals("input_layer_1 (InputLayer)", new InputLayer(3).describe());
    }

    @Test
    void aWrongShapeNamesTheDeclaredOne() {
        InputLayer input = new InputLayer(9);
        var e = assertThrows(IllegalArgumentException.class, () -> input.apply(normal(1, 32, 8)));
        assertEquals("input_layer (InputLayer): input last dimension must be 9 (declared shape [-1, 9]), got shape [32, 8]",
                e.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> input.apply(normal(2, 32, 9, 1)));
        assertEquals("input_layer (InputLayer): input must have rank 2 (declared shape [-1, 9]), got shape [32, 9, 1]",
                rank.getMessage());
        assertFalse(input.isBuilt());
        assertThrows(IllegalArgumentException.class, () -> input.build(-1, 8));
        assertThrows(IllegalArgumentException.class, () -> input.computeOutputShape(-1, 8));
    }

    @Test
    void multiDimensionalAndFreeDimensions() {
        InputLayer image = new InputLayer(28, 28);
        assertArrayEquals(new long[] {4, 28, 28}, image.apply(normal(1, 4, 28, 28)).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> image.apply(normal(2, 4, 27, 28)));
        assertEquals("input_layer (InputLayer): input dimension 1 must be 28 (declared shape [-1, 28, 28]), got shape [4, 27, 28]",
                e.getMessage());

        InputLayer sequence = new InputLayer(-1, 3);
        assertArrayEquals(new long[] {2, 7, 3}, sequence.apply(normal(3, 2, 7, 3)).shape());
    }

    @Test
    void dimensionsMustBePositiveOrFree() {
        var e = assertThrows(IllegalArgumentException.class, () -> new InputLayer(9, 0));
        assertEquals("InputLayer: the shape's dimensions must be positive or -1 (any size), got [9, 0]", e.getMessage());
        assertEquals("input_layer", new InputLayer(2).name());
        assertTrue(Arrays.equals(new long[] {-1}, new InputLayer().batchShape()));
    }
}
