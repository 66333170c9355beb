package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Cases from Keras' {@code confusion_metrics_test.py} (PrecisionTest). */
class PrecisionTest {
    @Test
    void unweighted() {
        Precision precision = new Precision();
        precision.updateState(Tensor.of(new float[] {0, 1, 1, 0}), Tensor.of(new float[] {1, 0, 1, 0}));
        assertEquals(0.5, precision.result(), 1e-12);
        assertEquals("precision", precision.name());
    }

    @Test
    void weighted() {
        Precision precision = new Precision();
        precision.updateState(Tensor.of(new float[] {0, 1, 1, 0, 1, 0, 0, 1}, 2, 4),
                Tensor.of(new float[] {1, 0, 1, 0, 1, 0, 1, 0}, 2, 4),
                Tensor.of(new float[] {1, 2, 3, 4, 4, 3, 2, 1}, 2, 4));
        assertEquals(7.0 / 10, precision.result(), 1e-12);
    }

    @Test
    void perSampleWeightsWeighWholeRows() {
        Precision precision = new Precision();
        precision.updateState(Tensor.of(new float[] {1, 0, 1, 1}, 2, 2), Tensor.of(new float[] {0.9f, 0.8f, 0.7f, 0.1f}, 2, 2),
                Tensor.of(new float[] {1, 3}));
        // row 1: tp 1, fp 1 (weight 1); row 2: tp 1 (weight 3)
        assertEquals(4.0 / 5, precision.result(), 1e-12);
    }

    @Test
    void noPositivePredictionGivesZeroAndStateAccumulates() {
        Precision precision = new Precision();
        precision.updateState(Tensor.of(new float[] {1, 1}), Tensor.of(new float[] {0.2f, 0.5f}));
        assertEquals(0.0, precision.result(), 0.0);
        precision.updateState(Tensor.of(new float[] {1, 0}), Tensor.of(new float[] {0.9f, 0.6f}));
        assertEquals(0.5, precision.result(), 1e-12);
        precision.reset();
        assertEquals(0.0, precision.result(), 0.0);
    }

    @Test
    void classId() {
        Precision precision = new Precision(null, null, 2);
        precision.updateState(Tensor.of(new float[] {0, 1, 1, 0, 0}, 1, 5), Tensor.of(new float[] {0.2f, 0.1f, 0.6f, 0, 0.2f}, 1, 5));
        assertEquals(1.0, precision.result(), 1e-12);
        precision.updateState(Tensor.of(new float[] {0, 1, 0, 0, 0}, 1, 5), Tensor.of(new float[] {0.2f, 0.1f, 0.6f, 0, 0.2f}, 1, 5));
        assertEquals(0.5, precision.result(), 1e-12);
    }

    @Test
    void topK() {
        Precision precision = new Precision(null, 3, null);
        precision.updateState(Tensor.of(new float[] {0, 1, 1, 0, 0}, 1, 5), Tensor.of(new float[] {0.2f, 0.1f, 0.5f, 0, 0.2f}, 1, 5));
        assertEquals(1.0 / 3, precision.result(), 1e-12);
    }

    @Test
    void badInputsNameTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Precision().updateState(Tensor.zeros(4), Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[4, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Precision(1.5));
    }
}
