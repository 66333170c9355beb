package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

class SparseTopKCategoricalAccuracyTest {
    @Test
    void labelInTheTopK() {
        Tensor scores = Tensor.of(new float[] {0.1f, 0.5f, 0.3f, 0.1f, 0.2f, 0.3f, 0.4f, 0.1f}, 2, 4);
        SparseTopKCategoricalAccuracy top2 = new SparseTopKCategoricalAccuracy(2);
        top2.updateState(Tensor.of(new float[] {2, 0}, 2, 1), scores);
        assertEquals(0.5, top2.result(), 1e-12);
    }

    @Test
    void outOfRangeLabelsAreMisses() {
        SparseTopKCategoricalAccuracy top5 = new SparseTopKCategoricalAccuracy();
        top5.updateState(Tensor.of(new float[] {7, -1}), Tensor.ones(2, 3));
        assertEquals(0.0, top5.result(), 0.0);
    }

    @Test
    void fromSortedIds() {
        SparseTopKCategoricalAccuracy top2 = new SparseTopKCategoricalAccuracy(2, true);
        // each row: class ids, best first
        top2.updateState(Tensor.of(new float[] {4, 1}), Tensor.of(new float[] {3, 4, 0, 2, 0, 1}, 2, 3));
        assertEquals(0.5, top2.result(), 1e-12);
    }
}
