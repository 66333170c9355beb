package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

class TopKCategoricalAccuracyTest {
    @Test
    void defaultKIsFive() {
        assertEquals(5, new TopKCategoricalAccuracy().k());
        assertEquals(5, Metrics.get("top_k_categorical_accuracy").config().get("k"));
    }

    @Test
    void tiesAtTheKthScoreCountAsHits() {
        TopKCategoricalAccuracy top1 = new TopKCategoricalAccuracy(1);
        // the target's score ties with the best: nothing is strictly above it
        top1.updateState(Tensor.of(new float[] {0, 1, 0}, 1, 3), Tensor.of(new float[] {0.4f, 0.4f, 0.2f}, 1, 3));
        assertEquals(1.0, top1.result(), 0.0);
    }

    @Test
    void kMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new TopKCategoricalAccuracy(0));
    }
}
