package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Keras' {@code sample_weight} on arrays: each sample's loss times its weight, then the loss' reduction
 * ({@code sum_over_batch_size}: {@code sum(w * loss) / batch size}, not divided by the weights' sum); weighted
 * metrics divide by the weights' sum.
 */
class SampleWeightTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(89);
    }

    private static INDArray floats(double[] values, long... shape) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT).reshape(shape);
    }

    /** y = k x without bias, k = 1, MSE, SGD(0.01) and the weighted mean absolute error. */
    private static Sequential line() {
        Sequential model = new Sequential(new InputLayer(1), new Dense(1).useBias(false));
        model.compile(new SGD(0.01), new MeanSquaredError(), new org.grad4j.metrics.MeanAbsoluteError());
        model.build(1);
        model.setWeights(List.of(floats(new double[] {1}, 1, 1)));
        return model;
    }

    @Test
    void theWeightedLossIsTheSumOfWeightedLossesOverTheBatchSizeAsKeras3ReducesIt() {
        INDArray x = floats(new double[] {1, 2, 3, 4}, 4, 1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 1);
        INDArray w = floats(new double[] {0, 1, 2, 1}, 4);
        Sequential model = line();
        // prediction = x, so the per-sample losses are 1, 4, 9, 16 and the absolute errors 1, 2, 3, 4
        // loss: (0*1 + 1*4 + 2*9 + 1*16) / 4 = 38 / 4; weighted mae: (0*1 + 1*2 + 2*3 + 1*4) / (0 + 1 + 2 + 1) = 12 / 4
        for (int batchSize : new int[] {4, 3, 1}) {
            Map<String, Double> scores = model.evaluate(x, y, w, batchSize);
            assertEquals(9.5, scores.get("loss"), 1e-6, "batch size " + batchSize);
            assertEquals(3.0, scores.get("mean_absolute_error"), 1e-6, "batch size " + batchSize);
        }
        Map<String, Double> unweighted = model.evaluate(x, y, 4);
        assertEquals(7.5, unweighted.get("loss"), 1e-6);
        assertEquals(2.5, unweighted.get("mean_absolute_error"), 1e-6);

        // one SGD step on the one batch: dL/dk = (1/4) sum 2 w x^2 k = (0 + 4 + 18 + 16) / 2 = 19, so k = 1 - 0.01 * 19
        History h = model.fit(x, y, w, FitOptions.epochs(1).batchSize(4).shuffle(false).verbose(0));
        assertEquals(0.81, model.getWeights().get(0).getDouble(0), 1e-6);
        assertEquals(9.5, h.get("loss").get(0), 1e-6, "the step's loss, before the update");
    }

    /** 40 samples of 3 features and 2 targets, a linear map plus noise. */
    private static INDArray[] regression(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[40 * 3];
        double[] y = new double[40 * 2];
        for (int i = 0; i < 40; i++) {
            for (int d = 0; d < 3; d++) {
                x[i * 3 + d] = random.nextDouble(-1, 1);
            }
            y[i * 2] = x[i * 3] - 2 * x[i * 3 + 1] + 0.1 * random.nextDouble();
            y[i * 2 + 1] = 0.5 * x[i * 3 + 2] + 0.1 * random.nextDouble();
        }
        return new INDArray[] {floats(x, 40, 3), floats(y, 40, 2)};
    }

    private static Sequential dense(double learningRate) {
        Layer.resetNameCounters();
        Seeds.set(97);
        Sequential model = new Sequential(new InputLayer(3), new Dense(4, "tanh"), new Dense(2));
        model.compile(new SGD(learningRate), new MeanSquaredError());
        return model;
    }

    @Test
    void aSampleWeighedZeroIsLeftOutOfTheGradientAndWeightsAreShuffledWithTheSamples() {
        INDArray[] data = regression(1);
        INDArray x = data[0];
        INDArray y = data[1];
        double[] weights = new double[40];
        INDArray garbage = y.dup();
        for (int i = 0; i < 40; i++) {
            weights[i] = i % 3 == 0 ? 0 : 1 + (i % 4) * 0.5;
            if (weights[i] == 0) {
                garbage.getRow(i).assign(1000);   // labels nothing should learn from
            }
        }
        INDArray w = floats(weights, 40);
        FitOptions options = FitOptions.epochs(3).batchSize(6).shuffle(true).seed(7).verbose(0);
        Sequential clean = dense(0.05);
        History cleanHistory = clean.fit(x, y, w, options);
        Sequential dirty = dense(0.05);
        History dirtyHistory = dirty.fit(x, garbage, w, options);
        // equal bit for bit only if every sample kept its own weight through the shuffles
        assertEquals(TestData.bits(clean.getWeights()), TestData.bits(dirty.getWeights()));
        assertEquals(cleanHistory.get("loss"), dirtyHistory.get("loss"));
        Sequential unweighted = dense(0.05);
        unweighted.fit(x, garbage, options);
        assertNotEquals(TestData.bits(clean.getWeights()), TestData.bits(unweighted.getWeights()));
    }

    @Test
    void aSampleWeighedTwoCountsTwiceInTheSumButTheBatchSizeStaysTheDivisor() {
        INDArray[] data = regression(2);
        INDArray x3 = data[0].get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()).dup();
        INDArray y3 = data[1].get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()).dup();
        INDArray w3 = floats(new double[] {2, 1, 1}, 3);
        INDArray x4 = Nd4j.concat(0, x3.getRow(0, true), x3);   // the first sample twice
        INDArray y4 = Nd4j.concat(0, y3.getRow(0, true), y3);

        Sequential weighted = dense(0.1);
        Sequential duplicated = dense(4 * 0.1 / 3);   // sum(w loss)/3 against sum(loss)/4: the same step with lr * 4/3
        double lossWeighted = weighted.evaluate(x3, y3, w3, 3).get("loss");
        double lossDuplicated = duplicated.evaluate(x4, y4, 4).get("loss");
        assertEquals(lossWeighted * 3, lossDuplicated * 4, 1e-6 * lossDuplicated * 4);
        assertNotEquals(lossWeighted, lossDuplicated, 1e-4);

        weighted.fit(x3, y3, w3, FitOptions.epochs(1).batchSize(3).shuffle(false).verbose(0));
        duplicated.fit(x4, y4, FitOptions.epochs(1).batchSize(4).shuffle(false).verbose(0));
        for (int i = 0; i < weighted.getWeights().size(); i++) {
            INDArray a = weighted.getWeights().get(i);
            INDArray b = duplicated.getWeights().get(i);
            assertTrue(a.equalsWithEps(b, 1e-6), "variable " + i + ": " + a + " vs " + b);
        }
        Sequential untouched = dense(0.1);
        assertTrue(!untouched.getWeights().get(0).equalsWithEps(weighted.getWeights().get(0), 1e-6), "a step was taken");
    }

    @Test
    void validationSplitSplitsTheWeightsWithTheSamples() {
        INDArray[] data = regression(3);
        double[] weights = new double[40];
        for (int i = 0; i < 40; i++) {
            weights[i] = (i % 5) * 0.5;
        }
        INDArray w = floats(weights, 40);
        Sequential model = dense(0.05);
        History h = model.fit(data[0], data[1], w, FitOptions.epochs(1).batchSize(8).validationSplit(0.25).verbose(0));
        INDArray xTail = data[0].get(NDArrayIndex.interval(30, 40), NDArrayIndex.all()).dup();
        INDArray yTail = data[1].get(NDArrayIndex.interval(30, 40), NDArrayIndex.all()).dup();
        INDArray wTail = w.get(NDArrayIndex.interval(30, 40)).dup();
        assertEquals(model.evaluate(xTail, yTail, wTail, 8).get("loss"), h.get("val_loss").get(0));
        assertNotEquals(model.evaluate(xTail, yTail, 8).get("loss"), h.get("val_loss").get(0));
    }

    private static void refused(Sequential model, Runnable bad, String... fragments) {
        List<Integer> before = TestData.bits(model.getWeights());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + fragment + "\" is not in: " + e.getMessage());
        }
        assertEquals(before, TestData.bits(model.getWeights()), "weights changed");
        assertEquals(0, model.optimizer().iterations(), "the optimizer stepped");
    }

    @Test
    void badSampleWeightsAreRefusedWithBothShapesNamed() {
        INDArray[] data = regression(4);
        INDArray x = data[0];
        INDArray y = data[1];
        Sequential model = dense(0.1);
        model.build(3);
        FitOptions options = FitOptions.epochs(1).verbose(0);
        refused(model, () -> model.fit(x, y, Nd4j.ones(DataType.FLOAT, 41), options), "fit", "sampleWeight", "[41]", "[40, 3]");
        refused(model, () -> model.fit(x, y, Nd4j.ones(DataType.FLOAT, 40, 2), options), "[40, 2]", "[40, 3]");
        refused(model, () -> model.evaluate(x, y, Nd4j.ones(DataType.FLOAT, 39), 8), "evaluate", "[39]", "[40, 3]");
        INDArray nan = Nd4j.ones(DataType.FLOAT, 40);
        nan.putScalar(3, Double.NaN);
        refused(model, () -> model.fit(x, y, nan, options), ">= 0 and finite", "NaN");
        INDArray negative = Nd4j.ones(DataType.FLOAT, 40);
        negative.putScalar(5, -1);
        refused(model, () -> model.fit(x, y, negative, options), ">= 0 and finite", "-1");
        refused(model, () -> model.fit(x, y, Nd4j.ones(DataType.FLOAT, 40), options.classWeight(Map.of(0, 2.0))),
                "sampleWeight and classWeight cannot be given together");
        // [N, 1] is accepted, as Keras takes it, and means the same as [N]
        Sequential a = dense(0.1);
        Sequential b = dense(0.1);
        INDArray w = Nd4j.linspace(0.5, 2, 40, DataType.FLOAT);
        a.fit(x, y, w, options.shuffle(false));
        b.fit(x, y, w.reshape(40, 1), options.shuffle(false));
        assertEquals(TestData.bits(a.getWeights()), TestData.bits(b.getWeights()));
    }
}
