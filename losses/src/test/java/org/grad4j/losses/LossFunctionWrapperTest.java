package org.grad4j.losses;

import static org.grad4j.losses.LossTesting.assertGradientOk;
import static org.grad4j.losses.LossTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Keras' weighting and reductions, shared by every loss through the base class. */
class LossFunctionWrapperTest {
    /** Per-sample squared errors [1, 4, 9, 16]. */
    private static final Tensor Y_TRUE = Tensor.zeros(4, 1);
    private static final Tensor Y_PRED = Tensor.of(new float[] {1, 2, 3, 4}, 4, 1);
    private static final Tensor WEIGHTS = Tensor.of(new float[] {1, 0, 2, 1});

    private static float loss(Reduction reduction, Tensor weights) {
        return new MeanSquaredError().reduction(reduction).call(Y_TRUE, Y_PRED, weights).item();
    }

    @Test
    void sumOverBatchSizeDividesByTheNumberOfValuesNotTheWeights() {
        assertEquals((1 + 18 + 16) / 4f, loss(Reduction.SUM_OVER_BATCH_SIZE, WEIGHTS), 1e-6f);
        assertEquals((1 + 18 + 16) / 4f, loss(Reduction.MEAN, WEIGHTS), 1e-6f);
        assertEquals(30 / 4f, loss(Reduction.SUM_OVER_BATCH_SIZE, null), 1e-6f);
    }

    @Test
    void sumAndMeanWithSampleWeight() {
        assertEquals(35f, loss(Reduction.SUM, WEIGHTS), 1e-6f);
        assertEquals(35f / 4, loss(Reduction.MEAN_WITH_SAMPLE_WEIGHT, WEIGHTS), 1e-6f);
        // a scalar weight divides by itself, not by the batch size
        assertEquals(30 * 2.5f / 2.5f, loss(Reduction.MEAN_WITH_SAMPLE_WEIGHT, Tensor.scalar(2.5f)), 1e-5f);
        assertEquals(30 / 4f, loss(Reduction.MEAN_WITH_SAMPLE_WEIGHT, null), 1e-6f);
    }

    @Test
    void aZeroDivisorGivesZero() {
        assertEquals(0f, loss(Reduction.MEAN_WITH_SAMPLE_WEIGHT, Tensor.zeros(4)), 0f);
        Tensor yPred = Tensor.of(new float[] {1, 2, 3, 4}, 4, 1).requiresGrad(true);
        Tensor value = new MeanSquaredError().reduction(Reduction.MEAN_WITH_SAMPLE_WEIGHT).call(Y_TRUE, yPred, Tensor.zeros(4));
        value.backward();
        assertArrayEquals(new float[4], yPred.grad().toFloatArray(), 0f);
    }

    @Test
    void noneReturnsTheWeightedPerSampleLosses() {
        Tensor perSample = new MeanSquaredError().reduction(Reduction.NONE).call(Y_TRUE, Y_PRED, WEIGHTS);
        assertArrayEquals(new long[] {4}, perSample.shape());
        assertArrayEquals(new float[] {1, 0, 18, 16}, perSample.toFloatArray(), 1e-6f);
    }

    @Test
    void weightsOfShapeBatchByOneAreAlignedWithTheLosses() {
        float flat = loss(Reduction.SUM_OVER_BATCH_SIZE, WEIGHTS);
        float column = loss(Reduction.SUM_OVER_BATCH_SIZE, WEIGHTS.reshape(4, 1));
        assertEquals(flat, column, 0f);
    }

    @Test
    void aRankZeroPerSampleLossIsLeftAsItIs() {
        // rank-1 inputs average into one value, which no reduction changes
        Tensor value = new MeanSquaredError().reduction(Reduction.SUM).call(Tensor.zeros(4), Tensor.of(new float[] {1, 2, 3, 4}));
        assertArrayEquals(new long[0], value.shape());
        assertEquals(7.5f, value.item(), 1e-6f);
    }

    @Test
    void gradientsWithRespectToTheWeights() {
        Tensor yTrue = uniform(61, -1, 1, 5, 2);
        Tensor yPred = uniform(62, -1, 1, 5, 2);
        for (Reduction r : Reduction.values()) {
            assertGradientOk("weights, " + r, new Huber().reduction(r), yTrue, yPred, uniform(63, 0.5, 2, 5));
        }
    }

    @Test
    void aLambdaIsALossWithoutWeights() {
        Loss lambda = (yTrue, yPred) -> yPred.sub(yTrue).abs().mean();
        assertEquals("loss", lambda.name());
        assertEquals(1f, lambda.call(Tensor.zeros(2), Tensor.ones(2), null).item(), 0f);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> lambda.call(Tensor.zeros(2), Tensor.ones(2), Tensor.ones(2)));
        assertTrue(e.getMessage().contains("LossFunctionWrapper"), e.getMessage());
    }

    /** A user's own loss: only the per-sample function. */
    static final class LogCosh extends LossFunctionWrapper<LogCosh> {
        LogCosh() {
            super("log_cosh");
        }

        @Override
        protected Tensor perSample(Tensor yTrue, Tensor yPred) {
            Tensor e = yPred.sub(yTrue);
            // log(cosh(e)) = e + softplus(-2e) - log 2
            return e.add(e.mul(-2.0).softplus()).sub(Math.log(2)).mean(false, -1);
        }
    }

    @Test
    void aCustomLossGetsWeightingAndReductions() {
        LogCosh loss = new LogCosh().reduction(Reduction.SUM);
        assertEquals("log_cosh", loss.name());
        assertEquals("sum", loss.config().get("reduction"));
        assertGradientOk("custom loss", loss, uniform(64, -1, 1, 3, 2), uniform(65, -1, 1, 3, 2), uniform(66, 0, 1, 3));
    }

    @Test
    void nullInputsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Huber().call(null, Tensor.zeros(2, 1)));
        assertTrue(e.getMessage().equals("Huber: y_true is null"), e.getMessage());
    }

    // ---------------------------------------------------------------- masks

    /** Keras' mask: what is masked counts for nothing, and the mean runs over the rest (apply_mask). */
    @Test
    void aMaskLeavesEntriesOutOfTheLossAndItsMean() {
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1});
        float masked = new MeanSquaredError().call(Y_TRUE, Y_PRED, null, mask).item();
        assertEquals((1 + 9 + 16) / 3f, masked, 1e-6f);
        assertEquals(masked, new MeanSquaredError().call(Y_TRUE, Y_PRED, null, mask.reshape(4, 1)).item(), 0f);
        // with sample weights: weights times mask, still divided by the unmasked count
        assertEquals((1 + 18 + 16) / 3f, new MeanSquaredError().call(Y_TRUE, Y_PRED, WEIGHTS, mask).item(), 1e-6f);
        // SUM does not rescale; fractional mask values are weights of a weighted mean
        assertEquals(26f, new MeanSquaredError().reduction(Reduction.SUM).call(Y_TRUE, Y_PRED, null, mask).item(), 1e-6f);
        assertEquals((2 * 1 + 4 + 9) / 4f, new MeanSquaredError().call(Y_TRUE, Y_PRED, null,
                Tensor.of(new float[] {2, 1, 1, 0})).item(), 1e-6f);
        assertEquals(0f, new MeanSquaredError().call(Y_TRUE, Y_PRED, null, Tensor.zeros(4)).item(), 0f);
        // a null mask is the three-argument call
        assertEquals(loss(Reduction.SUM_OVER_BATCH_SIZE, WEIGHTS), new MeanSquaredError().call(Y_TRUE, Y_PRED, WEIGHTS, null).item());
    }

    @Test
    void aMaskedEntryGetsNoGradientAndTheRestTheGradientWithoutIt() {
        Tensor logits = uniform(71, -2, 2, 4, 3);
        Tensor labels = Tensor.of(new double[] {0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1}, DataType.DOUBLE, 4, 3);
        Tensor mask = Tensor.of(new double[] {1, 0, 1, 1}, DataType.DOUBLE);
        Tensor x = Tensor.of(logits.array().dup()).requiresGrad(true);
        new CategoricalCrossentropy(true).call(labels, x, null, mask).backward();
        double[][] masked = x.grad().array().toDoubleMatrix();

        long[] keep = {0, 2, 3};
        Tensor kept = Tensor.of(logits.array().getRows(0, 2, 3).dup()).requiresGrad(true);
        new CategoricalCrossentropy(true).call(Tensor.of(labels.array().getRows(0, 2, 3).dup()), kept).backward();
        double[][] dropped = kept.grad().array().toDoubleMatrix();
        assertArrayEquals(new double[3], masked[1], 0.0);
        for (int i = 0; i < keep.length; i++) {
            assertArrayEquals(dropped[i], masked[(int) keep[i]], 1e-15);
        }
        assertGradientOk("cce logits masked", (java.util.function.Function<java.util.List<Tensor>, Tensor>)
                xs -> new CategoricalCrossentropy(true).call(labels, xs.get(0), null, mask), logits);
    }

    @Test
    void aMaskCombinesWithIgnoreClassAndBroadcastsOverPerStepLosses() {
        // per-step losses [2 samples, 3 steps]; a per-sample mask leaves the whole second sample out
        Tensor logits = uniform(72, -2, 2, 2, 3, 4);
        Tensor labels = Tensor.of(new double[] {0, 3, 1, 2, 2, 0}, DataType.DOUBLE, 2, 3);
        Tensor each = new SparseCategoricalCrossentropy(true).reduction(Reduction.NONE).call(labels, logits);
        double[] e = each.toDoubleArray();
        assertEquals((e[0] + e[1] + e[2]) / 3, new SparseCategoricalCrossentropy(true)
                .call(labels, logits, null, Tensor.of(new double[] {1, 0}, DataType.DOUBLE)).itemDouble(), 1e-12);
        Tensor ignoring = Tensor.of(new double[] {0, -1, 1, 2, 2, 0}, DataType.DOUBLE, 2, 3);
        assertEquals((e[0] + e[2]) / 2, new SparseCategoricalCrossentropy(true).ignoreClass(-1)
                .call(ignoring, logits, null, Tensor.of(new double[] {1, 0}, DataType.DOUBLE)).itemDouble(), 1e-12);
    }

    @Test
    void aMaskOfAnotherShapeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().call(Y_TRUE, Y_PRED, null, Tensor.ones(3)));
        assertEquals("MeanSquaredError: mask shape [3] suits neither the per-sample loss shape [4] nor its batch "
                + "(give [4] or [4, 1])", e.getMessage());
    }
}
