package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.grad4j.core.Tensor;
import org.grad4j.losses.Reduction;
import org.junit.jupiter.api.Test;

class MeanSquaredErrorTest {
    @Test
    void weightedMetricDividesByTheWeightsTheLossByTheBatch() {
        Tensor yTrue = Tensor.zeros(2, 2);
        Tensor yPred = Tensor.of(new float[] {1, 1, 2, 2}, 2, 2);
        Tensor weights = Tensor.of(new float[] {1, 3});
        MeanSquaredError metric = new MeanSquaredError();
        metric.updateState(yTrue, yPred, weights);
        assertEquals((1 + 12) / 4.0, metric.result(), 1e-12);
        float loss = new org.grad4j.losses.MeanSquaredError().reduction(Reduction.SUM_OVER_BATCH_SIZE)
                .call(yTrue, yPred, weights).item();
        assertEquals((1 + 12) / 2f, loss, 1e-6f);
    }
}
