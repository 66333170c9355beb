package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

class CategoricalAccuracyTest {
    @Test
    void argmaxesAgreeTiesGoToTheFirst() {
        CategoricalAccuracy accuracy = new CategoricalAccuracy();
        accuracy.updateState(Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3), Tensor.of(new float[] {0.4f, 0.4f, 0.2f, 0.4f, 0.4f, 0.2f}, 2, 3));
        assertEquals(0.5, accuracy.result(), 1e-12);
    }

    @Test
    void classIndicesGetTheSparseHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalAccuracy().updateState(Tensor.zeros(32), Tensor.zeros(32, 3)));
        assertTrue(e.getMessage().contains("y_true shape [32]") && e.getMessage().contains("use SparseCategoricalAccuracy"),
                e.getMessage());
    }
}
