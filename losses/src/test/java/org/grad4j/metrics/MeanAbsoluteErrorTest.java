package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

class MeanAbsoluteErrorTest {
    @Test
    void accumulatesOverBatches() {
        MeanAbsoluteError mae = new MeanAbsoluteError();
        mae.updateState(Tensor.zeros(2, 1), Tensor.of(new float[] {1, -3}, 2, 1));
        mae.updateState(Tensor.zeros(1, 1), Tensor.of(new float[] {5}, 1, 1));
        assertEquals(3.0, mae.result(), 1e-12);
    }

    @Test
    void mismatchedShapesFailBeforeTheStateChanges() {
        MeanAbsoluteError mae = new MeanAbsoluteError();
        mae.updateState(Tensor.zeros(2, 1), Tensor.ones(2, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mae.updateState(Tensor.zeros(4, 3), Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        assertEquals(1.0, mae.result(), 0.0);
    }
}
