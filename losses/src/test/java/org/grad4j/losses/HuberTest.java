package org.grad4j.losses;

import static org.grad4j.losses.LossTesting.assertGradientOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class HuberTest {
    @Test
    void quadraticInsideDeltaLinearOutside() {
        Tensor yTrue = Tensor.zeros(1, 2);
        Tensor yPred = Tensor.of(new float[] {0.5f, 3f}, 1, 2);
        // 0.5 * 0.25 and 1 * 3 - 0.5, averaged over the last axis
        assertEquals((0.125f + 2.5f) / 2, new Huber().call(yTrue, yPred).item(), 1e-6f);
        // delta 2: 0.125 and 2 * 3 - 2
        assertEquals((0.125f + 4f) / 2, new Huber(2.0).call(yTrue, yPred).item(), 1e-6f);
    }

    @Test
    void gradientChecks() {
        // errors away from +-delta (where the second derivative jumps)
        Tensor yTrue = Tensor.of(new double[] {0, 0, 0, 0, 1, -1}, DataType.DOUBLE, 3, 2);
        Tensor yPred = Tensor.of(new double[] {0.3, -0.6, 2.5, -1.7, 1.2, 0.4}, DataType.DOUBLE, 3, 2);
        assertGradientOk("huber", new Huber(), yTrue, yPred);
        assertGradientOk("huber weighted", new Huber(), yTrue, yPred, Tensor.of(new double[] {1, 2, 0.5}, DataType.DOUBLE, 3));
        assertGradientOk("huber delta 0.5, none", new Huber(0.5).reduction(Reduction.NONE), yTrue, yPred);
    }

    @Test
    void deltaMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Huber(0));
        assertTrue(e.getMessage().contains("delta must be a positive"), e.getMessage());
    }
}
