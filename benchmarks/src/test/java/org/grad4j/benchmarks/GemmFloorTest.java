package org.grad4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The floor computes the products of a training step, with the transposes where they belong. */
class GemmFloorTest {

    @Test
    void oneStepComputesForwardAndBackwardProducts() {
        GemmFloor floor = new GemmFloor(8, 5, 4, 3);
        floor.run(1);
        INDArray a0 = floor.activation(0);
        INDArray a1 = a0.mmul(floor.kernel(0));
        assertTrue(floor.activation(1).equalsWithEps(a1, 1e-5), "forward a1 = a0·W0");
        assertTrue(floor.activation(2).equalsWithEps(a1.mmul(floor.kernel(1)), 1e-5), "forward a2 = a1·W1");
        INDArray g1 = floor.outputGradient(1);
        assertTrue(floor.kernelGradient(1).equalsWithEps(a1.transpose().mmul(g1), 1e-5), "dW1 = a1ᵀ·g1");
        INDArray g0 = g1.mmul(floor.kernel(1).transpose());
        assertTrue(floor.outputGradient(0).equalsWithEps(g0, 1e-5), "g0 = g1·W1ᵀ");
        assertTrue(floor.kernelGradient(0).equalsWithEps(a0.transpose().mmul(g0), 1e-5), "dW0 = a0ᵀ·g0");
    }
}
