package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DropoutTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void contract() {
        Dropout dropout = new Dropout(0.5, 1);
        Tensor y = dropout.apply(normal(1, 8, 5), true);

        assertShape(new long[] {8, 5}, y);
        assertArrayEquals(y.shape(), dropout.computeOutputShape(8, 5));
        assertArrayEquals(new long[] {-1, 5}, dropout.computeOutputShape(-1, 5));
        assertEquals(0, dropout.countParams());
        assertTrue(dropout.weights().isEmpty());
        assertEquals("dropout", dropout.name());
    }

    @Test
    void inferenceIsTheIdentity() {
        Dropout dropout = new Dropout(0.5, 1);
        Tensor x = normal(2, 10, 10);
        assertSame(x, dropout.apply(x, false));
        assertSame(x, dropout.apply(x));
        assertSame(x, new Dropout(0.0).apply(x, true));
    }

    @Test
    void trainingZerosAboutRateOfTheValuesAndScalesTheRest() {
        double rate = 0.3;
        Tensor ones = Tensor.ones(200, 500);
        float[] y = new Dropout(rate, 7).apply(ones, true).toFloatArray();

        long zeros = 0;
        for (float v : y) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(1 / (1 - rate), v, 1e-6);
            }
        }
        // 100,000 Bernoulli(0.3) draws: the standard deviation of the fraction is 0.0014
        assertEquals(rate, zeros / (double) y.length, 0.01);
        double mean = 0;
        for (float v : y) {
            mean += v / y.length;
        }
        assertEquals(1.0, mean, 0.01, "inverted dropout keeps the expected value");
    }

    @Test
    void theSameSeedGivesTheSameMasks() {
        Tensor x = normal(3, 20, 20);
        Dropout a = new Dropout(0.5, 42);
        Dropout b = new Dropout(0.5, 42);
        float[] first = a.apply(x, true).toFloatArray();
        assertArrayEquals(first, b.apply(x, true).toFloatArray());
        float[] second = a.apply(x, true).toFloatArray();
        assertArrayEquals(second, b.apply(x, true).toFloatArray());
        assertFalse(Arrays.equals(first, second), "each call draws a new mask");

        Seeds.set(5);
        float[] unseeded = new Dropout(0.5).apply(x, true).toFloatArray();
        Seeds.set(5);
        assertArrayEquals(unseeded, new Dropout(0.5).apply(x, true).toFloatArray(), "Seeds.set seeds unseeded layers");
    }

    @Test
    void theGradientIsTheMask() {
        Tensor x = normal(4, 6, 7);
        Dropout dropout = new Dropout(0.4, 3);
        GradientTape tape = GradientTape.open();
        Tensor y;
        try (tape) {
            tape.watch(x);
            y = dropout.apply(x, true);
        }
        float[] grad = tape.gradient(y.sum(), x).toFloatArray();
        float[] out = y.toFloatArray();
        float[] in = x.toFloatArray();
        for (int i = 0; i < grad.length; i++) {
            assertEquals(out[i] / in[i], grad[i], 1e-5);
        }
    }

    @Test
    void rateMustBeInZeroToOne() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
        assertEquals("Dropout: rate must be in [0, 1), got 1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1, 3));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
        assertEquals("dropout", new Dropout(0.2).name(), "failed constructions use no name");
    }
}
