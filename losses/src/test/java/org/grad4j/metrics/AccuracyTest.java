package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

class AccuracyTest {
    @Test
    void exactEqualityElementByElement() {
        Accuracy accuracy = new Accuracy();
        accuracy.updateState(Tensor.of(new float[] {1, 2, 3, 4}), Tensor.of(new float[] {1, 2, 0, 4}, 4, 1));
        assertEquals(0.75, accuracy.result(), 1e-12);
        assertEquals("accuracy", accuracy.name());
    }

    @Test
    void differentShapesNameBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Accuracy().updateState(Tensor.zeros(4), Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().startsWith("Accuracy: y_true shape [4] and y_pred shape [4, 3]"), e.getMessage());
    }
}
