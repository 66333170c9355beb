package org.grad4j.losses;

import static org.grad4j.losses.LossTesting.assertGradientOk;
import static org.grad4j.losses.LossTesting.f64;
import static org.grad4j.losses.LossTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

class MeanSquaredErrorTest {
    @Test
    void perSampleIsTheMeanOverTheLastAxis() {
        Tensor yTrue = Tensor.of(new float[] {0, 1, 2, 3}, 2, 2);
        Tensor yPred = Tensor.of(new float[] {1, 1, 2, 5}, 2, 2);
        Tensor perSample = new MeanSquaredError().reduction(Reduction.NONE).call(yTrue, yPred);
        assertArrayEquals(new float[] {0.5f, 2f}, perSample.toFloatArray());
        assertEquals(1.25f, new MeanSquaredError().call(yTrue, yPred).item(), 1e-6f);
        assertEquals(1.25f, MeanSquaredError.meanSquaredError(yTrue, yPred).mean().item(), 1e-6f);
    }

    @Test
    void labelsOfBatchShapeMeetPredictionsWithATrailingAxisOfOne() {
        Tensor yPred = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor flat = new MeanSquaredError().call(Tensor.of(new float[] {0, 0, 0}), yPred);
        Tensor column = new MeanSquaredError().call(Tensor.of(new float[] {0, 0, 0}, 3, 1), yPred);
        assertEquals(14f / 3, flat.item(), 1e-5f);
        assertEquals(column.item(), flat.item(), 0f);
    }

    @Test
    void gradientChecks() {
        Tensor yTrue = uniform(1, -2, 2, 4, 3);
        Tensor yPred = uniform(2, -2, 2, 4, 3);
        assertGradientOk("mse", new MeanSquaredError(), yTrue, yPred);
        assertGradientOk("mse weighted [4]", new MeanSquaredError(), yTrue, yPred, uniform(3, 0.5, 2, 4));
        assertGradientOk("mse weighted [4, 1], mean_with_sample_weight",
                new MeanSquaredError().reduction(Reduction.MEAN_WITH_SAMPLE_WEIGHT), yTrue, yPred, uniform(4, 0.5, 2, 4, 1));
        assertGradientOk("mse none", new MeanSquaredError().reduction(Reduction.NONE), yTrue, yPred);
        assertGradientOk("mse rank 3, timestep weights", new MeanSquaredError().reduction(Reduction.SUM),
                uniform(5, -1, 1, 2, 3, 1), uniform(6, -1, 1, 2, 3, 1), uniform(7, 0, 3, 2, 3));
    }

    @Test
    void differentShapesNameBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().call(Tensor.zeros(4, 3), Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().startsWith("MeanSquaredError: "), e.getMessage());
        assertTrue(e.getMessage().contains("y_true shape [4, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("y_pred shape [4, 2]"), e.getMessage());
    }

    @Test
    void aRenamedLossIsNamedInItsErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().name("reconstruction").call(Tensor.zeros(4, 3), Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().startsWith("MeanSquaredError: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MeanSquaredError().name("reconstruction")
                .call(Tensor.zeros(4, 3), Tensor.zeros(4, 3), Tensor.ones(3)));
        assertTrue(e.getMessage().startsWith("reconstruction (MeanSquaredError): "), e.getMessage());
    }

    @Test
    void labelsAreCastToThePredictionsType() {
        Tensor yTrue = Tensor.of(new float[] {1, 2}, 2, 1);
        Tensor yPred = f64(new double[] {1, 4}, 2, 1).requiresGrad(true);
        Tensor loss = new MeanSquaredError().call(yTrue, yPred);
        assertEquals(2.0, loss.itemDouble(), 1e-12);
        loss.backward();
        assertArrayEquals(new double[] {0, 2}, yPred.grad().toDoubleArray(), 1e-12);
    }
}
