package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.ops.transforms.Transforms;

class MeanMetricWrapperTest {
    @Test
    void wrapsAnyPerSampleFunction() {
        Metric maxError = new MeanMetricWrapper("max_error", (t, p) -> Transforms.abs(p.sub(t)).max(-1));
        maxError.updateState(Tensor.of(new float[] {0, 0, 0, 0}, 2, 2), Tensor.of(new float[] {1, -3, 2, 0}, 2, 2));
        assertEquals(2.5, maxError.result(), 1e-12);
        maxError.updateState(Tensor.of(new float[] {0, 0}, 1, 2), Tensor.of(new float[] {0, 4}, 1, 2), Tensor.scalar(2f));
        assertEquals((5 + 8) / 4.0, maxError.result(), 1e-12);
        assertEquals("max_error", maxError.name());
    }

    @Test
    void trackedPredictionsStayOffTheGraph() {
        Tensor yPred = Tensor.of(new float[] {1, 2}, 2, 1).requiresGrad(true);
        Metric mse = new MeanSquaredError();
        mse.updateState(Tensor.zeros(2, 1), yPred.mul(1.0));
        assertEquals(2.5, mse.result(), 1e-12);
        assertFalse(yPred.grad() != null);
    }
}
