package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

class BinaryAccuracyTest {
    @Test
    void theThresholdIsStrict() {
        BinaryAccuracy accuracy = new BinaryAccuracy();
        accuracy.updateState(Tensor.of(new float[] {0, 1}, 2, 1), Tensor.of(new float[] {0.5f, 0.5f}, 2, 1));
        assertEquals(0.5, accuracy.result(), 1e-12);
    }

    @Test
    void theThresholdTakesThePredictionsPrecision() {
        // 0.1f is slightly above 0.1 in double, but equal to it in float32, where Keras compares
        BinaryAccuracy accuracy = new BinaryAccuracy(0.1);
        accuracy.updateState(Tensor.of(new float[] {0}, 1, 1), Tensor.of(new float[] {0.1f}, 1, 1));
        assertEquals(1.0, accuracy.result(), 0.0);
    }

    @Test
    void mismatchedShapesNameBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BinaryAccuracy().updateState(Tensor.zeros(32), Tensor.zeros(32, 3)));
        assertTrue(e.getMessage().contains("[32]") && e.getMessage().contains("[32, 3]"), e.getMessage());
    }
}
