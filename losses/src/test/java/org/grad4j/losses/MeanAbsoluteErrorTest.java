package org.grad4j.losses;

import static org.grad4j.losses.LossTesting.assertGradientOk;
import static org.grad4j.losses.LossTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class MeanAbsoluteErrorTest {
    @Test
    void value() {
        Tensor yTrue = Tensor.of(new float[] {0, 1, 2, 3}, 2, 2);
        Tensor yPred = Tensor.of(new float[] {1, 1, 2, 5}, 2, 2);
        assertEquals(0.75f, new MeanAbsoluteError().call(yTrue, yPred).item(), 1e-6f);
        assertEquals(3f, new MeanAbsoluteError().reduction(Reduction.SUM).call(yTrue, yPred, Tensor.scalar(2f)).item(), 1e-6f);
    }

    @Test
    void gradientChecks() {
        Tensor yTrue = uniform(11, -2, 2, 4, 3);
        // the error stays at least 0.1 away from 0, where |e| has its kink
        Tensor offset = uniform(12, 0.1, 1, 4, 3);
        Tensor sign = Tensor.of(new double[] {1, -1, 1, -1, -1, 1, 1, 1, -1, 1, -1, -1}, DataType.DOUBLE, 4, 3);
        Tensor yPred = yTrue.add(offset.mul(sign));
        assertGradientOk("mae", new MeanAbsoluteError(), yTrue, yPred);
        assertGradientOk("mae weighted", new MeanAbsoluteError(), yTrue, yPred, uniform(13, 0.5, 2, 4, 1));
        assertGradientOk("mae none", new MeanAbsoluteError().reduction(Reduction.NONE), yTrue, yPred, Tensor.scalar(1.5, DataType.DOUBLE));
    }

    @Test
    void weightsThatDoNotBroadcastNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanAbsoluteError().call(Tensor.zeros(4, 3), Tensor.zeros(4, 3), Tensor.ones(3)));
        assertTrue(e.getMessage().contains("sample_weight shape [3]"), e.getMessage());
        assertTrue(e.getMessage().contains("per-sample loss shape [4]"), e.getMessage());
    }
}
