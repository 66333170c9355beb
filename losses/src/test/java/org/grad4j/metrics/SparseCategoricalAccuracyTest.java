package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

class SparseCategoricalAccuracyTest {
    @Test
    void labelsOfShapeBatchOrBatchByOne() {
        Tensor scores = Tensor.of(new float[] {0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f}, 2, 3);
        SparseCategoricalAccuracy accuracy = new SparseCategoricalAccuracy();
        accuracy.updateState(Tensor.of(new float[] {1, 2}), scores);
        assertEquals(0.5, accuracy.result(), 1e-12);
        accuracy.updateState(Tensor.of(new float[] {1, 0}, 2, 1), scores);
        assertEquals(0.75, accuracy.result(), 1e-12);
    }

    @Test
    void oneHotLabelsGetTheCategoricalHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalAccuracy().updateState(Tensor.zeros(8, 3), Tensor.zeros(8, 3)));
        assertTrue(e.getMessage().contains("use CategoricalAccuracy"), e.getMessage());
    }
}
