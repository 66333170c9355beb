package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class BatchNormalizationTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void contract() {
        BatchNormalization bn = new BatchNormalization();
        Tensor y = bn.apply(normal(1, 32, 16), true);

        assertShape(new long[] {32, 16}, y);
        assertArrayEquals(y.shape(), bn.computeOutputShape(32, 16));
        assertArrayEquals(new long[] {-1, 16}, bn.computeOutputShape(-1, 16));
        assertEquals(4 * 16, bn.countParams());
        assertNames(List.of("batch_normalization/gamma:0 [16]", "batch_normalization/beta:0 [16]",
                "batch_normalization/moving_mean:0 [16]", "batch_normalization/moving_variance:0 [16]"), bn.weights());
        assertNames(List.of("batch_normalization/gamma:0 [16]", "batch_normalization/beta:0 [16]"), bn.trainableWeights());
        assertNames(List.of("batch_normalization/moving_mean:0 [16]", "batch_normalization/moving_variance:0 [16]"),
                bn.nonTrainableWeights());
        assertFalse(bn.movingMean().trainable());
        assertFalse(bn.movingVariance().trainable());
    }

    @Test
    void trainingNormalizesWithTheBatchStatistics() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = normal(2, 64, 3).mul(3.0).add(5.0);
        Tensor y = bn.apply(x, true);

        double[] xv = x.toDoubleArray();
        double[] yv = y.toDoubleArray();
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            double var = 0;
            for (int i = 0; i < 64; i++) {
                mean += xv[i * 3 + c] / 64;
            }
            for (int i = 0; i < 64; i++) {
                var += Math.pow(xv[i * 3 + c] - mean, 2) / 64;
            }
            for (int i = 0; i < 64; i++) {
                assertEquals((xv[i * 3 + c] - mean) / Math.sqrt(var + 1e-3), yv[i * 3 + c], 1e-4);
            }
        }
    }

    @Test
    void inferenceUsesTheMovingStatistics() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = normal(3, 8, 4).mul(2.0).add(1.0);
        // freshly built: moving mean 0, moving variance 1
        assertArrayEquals(x.div(Math.sqrt(1 + 1e-3)).toFloatArray(), bn.apply(x, false).toFloatArray(), 1e-6f);
        assertTrue(bn.movingMean().array().sumNumber().doubleValue() == 0, "inference does not update the statistics");

        bn.gamma().assign(Tensor.of(new float[] {1, 2, 3, 4}).array());
        bn.beta().assign(Tensor.of(new float[] {0.5f, 0, 0, -1}).array());
        bn.movingMean().assign(Tensor.of(new float[] {1, 1, 0, 2}).array());
        bn.movingVariance().assign(Tensor.of(new float[] {4, 1, 9, 0.25f}).array());
        Tensor expected = x.sub(bn.movingMean()).div(bn.movingVariance().add(1e-3).sqrt()).mul(bn.gamma()).add(bn.beta());
        assertArrayEquals(expected.toFloatArray(), bn.apply(x, false).toFloatArray(), 1e-6f);
        assertFalse(java.util.Arrays.equals(expected.toFloatArray(), bn.apply(x, true).toFloatArray()));
    }

    @Test
    void movingStatisticsAfterOneStepFollowTheFormula() {
        BatchNormalization bn = new BatchNormalization().momentum(0.9);
        Tensor x = normal(4, 10, 2, 3).mul(2.0).add(0.7);
        bn.apply(x, true);

        // rank 3: statistics over axes 0 and 1; biased variance, as Keras
        INDArray mean = x.array().mean(0, 1);
        INDArray var = x.array().var(false, 0, 1);
        INDArray expectedMean = mean.mul(0.1);
        INDArray expectedVar = var.mul(0.1).add(0.9);
        assertArrayEquals(expectedMean.toFloatVector(), bn.movingMean().array().toFloatVector(), 1e-6f);
        assertArrayEquals(expectedVar.toFloatVector(), bn.movingVariance().array().toFloatVector(), 1e-5f);
    }

    @Test
    void gradientsInTrainingModePassTheCheck() {
        BatchNormalization bn = new BatchNormalization().dtype(DataType.DOUBLE);
        bn.build(-1, 3);
        bn.gamma().assign(Tensor.of(new double[] {0.5, 1.5, -2.0}, DataType.DOUBLE).array());
        bn.beta().assign(Tensor.of(new double[] {0.1, -0.3, 0.2}, DataType.DOUBLE).array());

        double inputError = GradientCheck.check(in -> bn.call(in.get(0), true), List.of(normal64(5, 6, 3)));
        assertTrue(inputError < GRADIENT_BOUND, "inputs: " + inputError);

        Tensor x = normal64(6, 6, 3);
        Tensor target = normal64(7, 6, 3);
        double weightError = GradientCheck.checkVariables(() -> bn.call(x, true).mul(target).sum(),
                List.of(bn.gamma(), bn.beta()));
        assertTrue(weightError < GRADIENT_BOUND, "gamma, beta: " + weightError);
    }

    @Test
    void oneGradientDescentStepLowersTheLoss() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = normal(8, 16, 4);
        Tensor y = normal(9, 16, 4).mul(0.5).add(1.0);
        double before = LayerTesting.descend(bn, x, y, 0.1);
        double after = LayerTesting.loss(bn, x, y).itemDouble();
        assertTrue(after < before, "loss " + before + " -> " + after);
    }

    @Test
    void movingStatisticsGetNoGradientAndStayNonTrainableAfterUnfreezing() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = normal(10, 8, 2);
        GradientTape tape = GradientTape.open();
        Tensor loss;
        try (tape) {
            loss = bn.apply(x, false).sum();
        }
        List<Tensor> grads = tape.gradient(loss, List.<Tensor>of(bn.gamma(), bn.movingMean()));
        assertTrue(grads.get(0) != null);
        assertNull(grads.get(1));

        bn.setTrainable(false);
        assertTrue(bn.trainableWeights().isEmpty());
        assertEquals(4, bn.nonTrainableWeights().size());
        bn.setTrainable(true);
        assertNames(List.of("batch_normalization/gamma:0 [2]", "batch_normalization/beta:0 [2]"), bn.trainableWeights());
        assertFalse(bn.movingMean().trainable());
    }

    @Test
    void aFrozenLayerRunsInInferenceMode() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = normal(11, 8, 2).add(3.0);
        bn.setTrainable(false);
        assertArrayEquals(bn.apply(x, false).toFloatArray(), bn.apply(x, true).toFloatArray());
        assertEquals(0.0, bn.movingMean().array().sumNumber().doubleValue());
    }

    @Test
    void withoutCenterOrScale() {
        BatchNormalization bn = new BatchNormalization().center(false).scale(false);
        bn.build(-1, 5);
        assertNames(List.of("batch_normalization/moving_mean:0 [5]", "batch_normalization/moving_variance:0 [5]"),
                bn.weights());
        assertTrue(bn.trainableWeights().isEmpty());
        assertNull(bn.gamma());
        Tensor x = normal(12, 4, 5);
        assertArrayEquals(x.div(Math.sqrt(1 + 1e-3)).toFloatArray(), bn.apply(x).toFloatArray(), 1e-6f);
    }

    @Test
    void errorsNameTheLayer() {
        BatchNormalization bn = new BatchNormalization();
        bn.apply(normal(13, 4, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> bn.apply(normal(14, 4, 6), true));
        assertEquals("batch_normalization (BatchNormalization): input last dimension must be 5 (moving_mean [5]), "
                + "got shape [4, 6]", e.getMessage());
        assertEquals(0.0, bn.movingMean().array().sumNumber().doubleValue(), "the failed call updated nothing");
        assertThrows(IllegalArgumentException.class, () -> new BatchNormalization().momentum(1.5));
        assertThrows(IllegalArgumentException.class, () -> new BatchNormalization().epsilon(0));
        Variable gamma = bn.gamma();
        assertThrows(IllegalStateException.class, () -> bn.center(false));
        assertEquals(gamma, bn.gamma());
    }
}
