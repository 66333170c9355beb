package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.normal;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class RescalingTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void contract() {
        Rescaling rescaling = new Rescaling(0.5);
        Tensor y = rescaling.apply(normal(1, 4, 3, 2));
        assertArrayEquals(new long[] {4, 3, 2}, y.shape());
        assertArrayEquals(new long[] {-1, 3, 2}, rescaling.computeOutputShape(-1, 3, 2));
        assertEquals(0, rescaling.countParams());
        assertTrue(rescaling.weights().isEmpty());
        assertEquals("rescaling", rescaling.name());
        assertEquals(0.5, rescaling.scale());
        assertEquals(0.0, rescaling.offset());
    }

    @Test
    void pixelsToMinusOneToOneAsKerasDocumentsIt() {
        // Keras' docstring: scale=1./127.5, offset=-1 maps [0, 255] to [-1, 1]
        Tensor pixels = Tensor.of(new float[] {0, 63.75f, 127.5f, 255}, 2, 2);
        Tensor y = new Rescaling(1 / 127.5, -1).apply(pixels);
        assertArrayEquals(new float[] {-1, -0.5f, 0, 1}, y.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 1}, new Rescaling(1 / 255.0).apply(pixels).toFloatArray(), 1e-6f);
    }

    @Test
    void integerInputsBecomeTheLayersFloatType() {
        Tensor ids = Tensor.of(Nd4j.createFromArray(new int[][] {{0, 255}, {51, 102}}));
        Tensor y = new Rescaling(1 / 255.0).apply(ids);
        assertEquals(DataType.FLOAT, y.dataType());
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f}, y.toFloatArray(), 1e-6f);
        Tensor y64 = new Rescaling(2, 1).dtype(DataType.DOUBLE).apply(ids);
        assertEquals(DataType.DOUBLE, y64.dataType());
        assertArrayEquals(new double[] {1, 511, 103, 205}, y64.toDoubleArray());
    }

    @Test
    void gradientWithRespectToTheInputPassesTheCheck() {
        Rescaling rescaling = new Rescaling(-0.75, 2.5).dtype(DataType.DOUBLE);
        double error = GradientCheck.check(in -> rescaling.call(in.get(0), true), List.of(normal64(2, 5, 4)));
        assertTrue(error < GRADIENT_BOUND, "input: " + error);
    }

    @Test
    void configHasKerasKeysAndRoundTrips() {
        Rescaling rescaling = new Rescaling(1 / 255.0, 0.25);
        Map<String, Object> config = rescaling.config();
        assertEquals(List.of("name", "trainable", "dtype", "scale", "offset"), List.copyOf(config.keySet()));
        assertEquals(1 / 255.0, config.get("scale"));
        Rescaling back = (Rescaling) Layers.fromConfig("Rescaling", Map.of("scale", 1 / 255.0, "offset", 0.25));
        Tensor x = normal(3, 6, 2).mul(100.0);
        assertArrayEquals(rescaling.apply(x).toFloatArray(), back.apply(x).toFloatArray());
        assertEquals(0.0, ((Rescaling) Layers.fromConfig("Rescaling", Map.of("scale", 2))).offset(), "offset defaults to 0");
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Rescaling(Double.NaN));
        assertEquals("Rescaling: scale and offset must be finite numbers, got scale NaN, offset 0.0", e.getMessage());
        var list = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("Rescaling", Map.of("scale", List.of(0.5, 0.25, 0.125))));
        assertEquals("Rescaling.fromConfig: \"scale\" must be a number (per-channel arrays are not supported), got "
                + "[0.5, 0.25, 0.125]", list.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> Layers.fromConfig("Rescaling", Map.of()));
        assertEquals("Rescaling.fromConfig: the config has no \"scale\" (keys: [])", missing.getMessage());
        assertEquals("rescaling", new Rescaling(1).name(), "failed constructions use no name");
    }
}
