package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

class MeanTest {
    @Test
    void weightedMeanAccumulatesAcrossUpdates() {
        Mean mean = new Mean();
        assertEquals(0.0, mean.result(), 0.0);
        mean.updateState(Tensor.of(new float[] {1, 3}));
        assertEquals(2.0, mean.result(), 1e-12);
        mean.updateState(Tensor.of(new float[] {10, 20}), Tensor.of(new float[] {1, 0}));
        assertEquals(14.0 / 3, mean.result(), 1e-12);
        mean.updateState(4.0);
        assertEquals(18.0 / 4, mean.result(), 1e-12);
        mean.reset();
        assertEquals(0.0, mean.result(), 0.0);
    }

    @Test
    void finerValuesAreAveragedPerSampleFirst() {
        Mean mean = new Mean();
        // per-sample means [1.5, 3.5], weights [1, 3]
        mean.updateState(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), Tensor.of(new float[] {1, 3}));
        assertEquals((1.5 + 10.5) / 4, mean.result(), 1e-12);
    }

    @Test
    void rankTwoWeightsAreAveragedLikeTheValues() {
        Mean mean = new Mean();
        mean.updateState(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), Tensor.of(new float[] {1, 0, 1, 1}, 2, 2));
        // per sample: values*weights averaged [0.5, 3.5], weights averaged [0.5, 1]
        assertEquals(4.0 / 1.5, mean.result(), 1e-12);
    }

    @Test
    void aScalarWeightWeighsTheBatchMean() {
        Mean mean = new Mean();
        mean.updateState(Tensor.of(new float[] {1, 2, 3}), Tensor.scalar(2f));
        mean.updateState(Tensor.of(new float[] {10}));
        assertEquals((2 * 2.0 + 10) / 3, mean.result(), 1e-12);
    }

    @Test
    void badWeightsFailBeforeTheStateChanges() {
        Mean mean = new Mean("loss");
        mean.updateState(Tensor.of(new float[] {1, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mean.updateState(Tensor.of(new float[] {1, 2, 3}), Tensor.of(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("sample_weight shape [2]") && e.getMessage().contains("[3]"), e.getMessage());
        assertTrue(e.getMessage().startsWith("loss (Mean): "), e.getMessage());
        assertEquals(2.0, mean.result(), 0.0);
    }

    @Test
    void targetsAndPredictionsAreNotForAMean() {
        assertThrows(UnsupportedOperationException.class,
                () -> new Mean().updateState(Tensor.zeros(2), Tensor.zeros(2), Tensor.ones(2)));
    }
}
