package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Cases from Keras' {@code confusion_metrics_test.py} (RecallTest). */
class RecallTest {
    @Test
    void unweighted() {
        Recall recall = new Recall();
        recall.updateState(Tensor.of(new float[] {0, 1, 1, 0}), Tensor.of(new float[] {1, 0, 1, 0}));
        assertEquals(0.5, recall.result(), 1e-12);
        assertEquals("recall", recall.name());
    }

    @Test
    void weighted() {
        Recall recall = new Recall();
        recall.updateState(Tensor.of(new float[] {0, 1, 1, 0, 1, 0, 0, 1}, 2, 4),
                Tensor.of(new float[] {1, 0, 1, 0, 1, 0, 1, 0}, 2, 4),
                Tensor.of(new float[] {1, 2, 3, 4, 4, 3, 2, 1}, 2, 4));
        assertEquals(7.0 / 10, recall.result(), 1e-12);
    }

    @Test
    void thresholdAndTopK() {
        Recall strict = new Recall(0.7);
        strict.updateState(Tensor.of(new float[] {1, 1, 0}), Tensor.of(new float[] {0.9f, 0.7f, 0.8f}));
        assertEquals(0.5, strict.result(), 1e-12);

        Recall top3 = new Recall(null, 3, null);
        top3.updateState(Tensor.of(new float[] {0, 1, 1, 0, 0}, 1, 5), Tensor.of(new float[] {0.2f, 0.1f, 0.5f, 0, 0.2f}, 1, 5));
        assertEquals(0.5, top3.result(), 1e-12);
    }
}
