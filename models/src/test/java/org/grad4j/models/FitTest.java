package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.BinaryCrossentropy;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.models.callbacks.Callback;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** fit on arrays: the overloads, batching, validationSplit, shuffling, initialEpoch and classWeight. */
class FitTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(31);
    }

    /** A small linear model, built, with SGD (whose step depends on nothing but the gradient). */
    private static Sequential linear(int inputs) {
        Sequential model = new Sequential(new InputLayer(inputs), new Dense(1));
        model.compile(new SGD(0.1), "mse");
        return model;
    }

    /** A second model with the same weights, trained step by step with trainOnBatch on rows [from, to). */
    private static Sequential stepByStep(Sequential like, INDArray x, INDArray y, long[][] batches) {
        Sequential twin = linear((int) x.size(1));
        twin.setWeights(like.getWeights());
        for (long[] rows : batches) {
            twin.trainOnBatch(x.get(NDArrayIndex.interval(rows[0], rows[1]), NDArrayIndex.all()),
                    y.get(NDArrayIndex.interval(rows[0], rows[1]), NDArrayIndex.all()));
        }
        return twin;
    }

    @Test
    void theLastPartialBatchIsUsed() {
        TestData.Set data = TestData.linear(10, new double[] {1, -1}, 0.5, 0.1, 1);
        Sequential model = linear(2);
        Sequential twin = stepByStep(model, data.x(), data.y(), new long[][] {{0, 4}, {4, 8}, {8, 10}});
        TestData.BatchCounter counter = new TestData.BatchCounter();

        History history = model.fit(data.x(), data.y(), FitOptions.epochs(1).batchSize(4).shuffle(false)
                .callbacks(counter).verbose(0));

        assertEquals(List.of(3), counter.perEpoch);
        assertEquals(3, history.params().get("steps"));
        assertEquals(TestData.bits(twin.getWeights()), TestData.bits(model.getWeights()));
        assertEquals(3, model.optimizer().iterations());
    }

    @Test
    void stepsPerEpochCountEveryEpoch() {
        TestData.Set data = TestData.linear(10, new double[] {1, -1}, 0.5, 0.1, 1);
        Sequential model = linear(2);
        TestData.BatchCounter counter = new TestData.BatchCounter();
        model.fit(data.x(), data.y(), FitOptions.epochs(3).batchSize(4).callbacks(counter).seed(1).verbose(0));
        assertEquals(List.of(3, 3, 3), counter.perEpoch);
        assertEquals(9, model.optimizer().iterations());
    }

    @Test
    void epochsAndBatchSizeOverloadUsesKerasDefaults() {
        TestData.Set data = TestData.linear(70, new double[] {2}, 0, 0, 2);
        Sequential model = linear(1);
        History[] history = new History[1];
        String printed = TestData.captureOut(() -> history[0] = model.fit(data.x(), data.y(), 2, 16));
        assertEquals(Map.of("epochs", 2, "steps", 5, "verbose", 1), history[0].params());
        assertEquals(List.of(0, 1), history[0].epochs());
        assertSame(history[0], model.history());
        // verbose 1 by default: the progress lines of both epochs
        assertTrue(printed.contains("Epoch 1/2\n") && printed.contains("Epoch 2/2\n"), printed);
    }

    @Test
    void defaultBatchSizeIs32() {
        assertEquals(32, FitOptions.epochs(1).batchSize());
        assertEquals(1, FitOptions.defaults().epochs());
        assertTrue(FitOptions.defaults().shuffle());
        TestData.Set data = TestData.linear(65, new double[] {2}, 0, 0, 2);
        History history = linear(1).fit(data.x(), data.y(), FitOptions.epochs(1).verbose(0));
        assertEquals(3, history.params().get("steps"));
    }

    @Test
    void validationSplitHoldsOutTheLastSamplesBeforeShuffling() {
        TestData.Set data = TestData.linear(100, new double[] {1, 2}, -1, 0.2, 3);
        Sequential model = linear(2);
        long[][] batches = new long[8][];
        for (int i = 0; i < 8; i++) {
            batches[i] = new long[] {i * 10, i * 10 + 10};
        }
        Sequential twin = stepByStep(model, data.x(), data.y(), batches);

        History history = model.fit(data.x(), data.y(), FitOptions.epochs(1).batchSize(10).validationSplit(0.2)
                .shuffle(false).verbose(0));

        assertEquals(8, history.params().get("steps"));
        assertEquals(TestData.bits(twin.getWeights()), TestData.bits(model.getWeights()), "trained on rows 0..79 only");
        INDArray xVal = data.x().get(NDArrayIndex.interval(80, 100), NDArrayIndex.all());
        INDArray yVal = data.y().get(NDArrayIndex.interval(80, 100), NDArrayIndex.all());
        assertEquals(model.evaluate(xVal, yVal, 10).get("loss"), history.get("val_loss").get(0), 1e-12);
    }

    @Test
    void validationSplitWithShufflingStillValidatesOnTheLastSamples() {
        TestData.Set data = TestData.linear(50, new double[] {1}, 0, 0.2, 4);
        Sequential model = linear(1);
        History history = model.fit(data.x(), data.y(), FitOptions.epochs(3).validationSplit(0.3).seed(5).verbose(0));
        assertEquals(2, history.params().get("steps"));   // 35 training samples in batches of 32
        INDArray xVal = data.x().get(NDArrayIndex.interval(35, 50), NDArrayIndex.all());
        INDArray yVal = data.y().get(NDArrayIndex.interval(35, 50), NDArrayIndex.all());
        assertEquals(model.evaluate(xVal, yVal).get("loss"), history.get("val_loss").get(2), 1e-12);
        assertEquals(List.of(0, 1, 2), history.epochsOf("val_loss"));
    }

    @Test
    void validationFreqBeyondTheLastEpochValidatesNever() {
        TestData.Set data = TestData.linear(40, new double[] {1}, 0, 0.2, 4);
        History history = linear(1).fit(data.x(), data.y(), FitOptions.epochs(2).validationSplit(0.25)
                .validationFreq(3).verbose(0));
        assertEquals(List.of("loss", "learning_rate"), List.copyOf(history.history().keySet()));
        assertEquals(List.of(), history.get("val_loss"));
    }

    @Test
    void validationDataTakesPrecedenceOverValidationSplit() {
        TestData.Set data = TestData.linear(40, new double[] {1}, 0, 0.2, 4);
        TestData.Set val = TestData.linear(10, new double[] {1}, 0, 0.2, 5);
        Sequential model = linear(1);
        History history = model.fit(data.x(), data.y(), FitOptions.epochs(1).validationSplit(0.5)
                .validationData(val.x(), val.y()).verbose(0));
        assertEquals(2, history.params().get("steps"), "all 40 samples train");
        assertEquals(model.evaluate(val.x(), val.y()).get("loss"), history.get("val_loss").get(0), 1e-12);
    }

    @Test
    void validationSplitNeedsASampleOnEachSide() {
        TestData.Set data = TestData.linear(1, new double[] {1}, 0, 0, 4);
        Sequential model = linear(1);
        List<Integer> before = TestData.bits(model.getWeights());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(data.x(), data.y(), FitOptions.epochs(1).validationSplit(0.5).verbose(0)));
        assertTrue(e.getMessage().contains("validationSplit 0.5 of 1 samples"), e.getMessage());
        assertEquals(before, TestData.bits(model.getWeights()));
    }

    @Test
    void shufflingChangesTheBatchesAndTheSeedFixesThem() {
        TestData.Set data = TestData.linear(40, new double[] {1, -2}, 0.5, 0.3, 6);
        Sequential plain = linear(2);
        List<INDArray> init = plain.getWeights();
        plain.fit(data.x(), data.y(), FitOptions.epochs(2).batchSize(8).shuffle(false).verbose(0));

        Sequential shuffled = linear(2);
        shuffled.setWeights(init);
        shuffled.fit(data.x(), data.y(), FitOptions.epochs(2).batchSize(8).seed(12).verbose(0));
        Sequential again = linear(2);
        again.setWeights(init);
        again.fit(data.x(), data.y(), FitOptions.epochs(2).batchSize(8).seed(12).verbose(0));

        assertNotEquals(TestData.bits(plain.getWeights()), TestData.bits(shuffled.getWeights()));
        assertEquals(TestData.bits(shuffled.getWeights()), TestData.bits(again.getWeights()));
    }

    @Test
    void eachEpochIsShuffledDifferently() {
        // two epochs with one seed differ from two fits of one epoch each with that seed
        TestData.Set data = TestData.linear(40, new double[] {1, -2}, 0.5, 0.3, 6);
        Sequential twoEpochs = linear(2);
        List<INDArray> init = twoEpochs.getWeights();
        twoEpochs.fit(data.x(), data.y(), FitOptions.epochs(2).batchSize(8).seed(12).verbose(0));
        Sequential sameOrderTwice = linear(2);
        sameOrderTwice.setWeights(init);
        sameOrderTwice.fit(data.x(), data.y(), FitOptions.epochs(1).batchSize(8).seed(12).verbose(0));
        sameOrderTwice.fit(data.x(), data.y(), FitOptions.epochs(1).batchSize(8).seed(12).verbose(0));
        assertNotEquals(TestData.bits(twoEpochs.getWeights()), TestData.bits(sameOrderTwice.getWeights()));
    }

    @Test
    void initialEpochStartsTheCount() {
        TestData.Set data = TestData.linear(20, new double[] {1}, 0, 0, 7);
        Sequential model = linear(1);
        List<Integer> seen = new ArrayList<>();
        Callback epochs = new Callback() {
            @Override
            public void onEpochBegin(int epoch, Map<String, Double> logs) {
                seen.add(epoch);
            }
        };
        History history = model.fit(data.x(), data.y(), FitOptions.epochs(5).initialEpoch(2).callbacks(epochs).verbose(0));
        assertEquals(List.of(2, 3, 4), history.epochs());
        assertEquals(List.of(2, 3, 4), seen);
        assertEquals(3, history.get("loss").size());
        assertEquals(List.of(2, 3, 4), history.epochsOf("loss"));
        assertEquals(3, model.optimizer().iterations());
    }

    /** Keras silently trains nothing when initialEpoch >= epochs (epochs is where to stop, not a count); grad4j warns. */
    @Test
    void initialEpochAtOrPastEpochsWarnsAndTrainsNothing() {
        TestData.Set data = TestData.linear(20, new double[] {1}, 0, 0, 7);
        Sequential model = linear(1);
        List<Integer> before = TestData.bits(model.getWeights());
        History[] history = new History[1];
        List<java.util.logging.LogRecord> records = TestData.captureLog("org.grad4j.models",
                () -> history[0] = model.fit(data.x(), data.y(), FitOptions.epochs(3).initialEpoch(3).verbose(0)));
        assertEquals(List.of(), history[0].epochs());
        assertEquals(0, model.optimizer().iterations());
        assertEquals(before, TestData.bits(model.getWeights()));
        assertEquals(1, records.size(), "one warning");
        assertEquals(java.util.logging.Level.WARNING, records.get(0).getLevel());
        assertEquals("fit: initialEpoch 3 >= epochs 3, so no epoch runs; epochs is the epoch to stop before, not a "
                + "count: to train n more epochs from epoch 3 use epochs(3 + n).initialEpoch(3)", records.get(0).getMessage());

        List<java.util.logging.LogRecord> iterator = TestData.captureLog("org.grad4j.models",
                () -> model.fit(new org.nd4j.linalg.dataset.ViewIterator(new org.nd4j.linalg.dataset.DataSet(data.x(), data.y()), 8),
                        FitOptions.epochs(2).initialEpoch(4).verbose(0)));
        assertEquals(1, iterator.size());
        assertTrue(iterator.get(0).getMessage().startsWith("fit: initialEpoch 4 >= epochs 2"), iterator.get(0).getMessage());

        List<java.util.logging.LogRecord> normal = TestData.captureLog("org.grad4j.models",
                () -> model.fit(data.x(), data.y(), FitOptions.epochs(3).initialEpoch(2).verbose(0)));
        assertEquals(List.of(), normal, "no warning when an epoch runs");
        assertEquals(1, model.optimizer().iterations());
    }

    @Test
    void classWeightScalesEachSamplesLoss() {
        TestData.Set data = TestData.twoGaussians(12, 2, 8);
        Sequential model = new Sequential(new InputLayer(2), new Dense(1));
        model.compile(new SGD(0.1), new BinaryCrossentropy(true));
        INDArray logits = model.predict(data.x());

        // one batch holding every sample: the epoch's loss is that batch's loss before the step
        History history = model.fit(data.x(), data.y(), FitOptions.epochs(1).batchSize(12).shuffle(false)
                .classWeight(Map.of(0, 1.0, 1, 3.0)).verbose(0));

        double sum = 0;
        for (int i = 0; i < 12; i++) {
            double z = logits.getDouble(i, 0);
            double t = data.labels()[i];
            double bce = Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
            sum += (t == 1 ? 3.0 : 1.0) * bce;
        }
        // Keras' sum_over_batch_size: the weighted sum divided by the number of samples
        double expected = sum / 12;
        assertEquals(expected, history.get("loss").get(0), 1e-6 * Math.max(1, expected));
    }

    @Test
    void aZeroClassWeightChangesTheResult() {
        TestData.Set data = TestData.twoGaussians(64, 2, 9);
        Sequential weighted = new Sequential(new InputLayer(2), new Dense(1));
        weighted.compile(new SGD(0.1), new BinaryCrossentropy(true));
        List<INDArray> init = weighted.getWeights();
        Sequential plain = new Sequential(new InputLayer(2), new Dense(1));
        plain.compile(new SGD(0.1), new BinaryCrossentropy(true));
        plain.setWeights(init);

        FitOptions options = FitOptions.epochs(2).batchSize(16).seed(4).verbose(0);
        plain.fit(data.x(), data.y(), options);
        weighted.fit(data.x(), data.y(), options.classWeight(Map.of(1, 0.0)));
        assertNotEquals(TestData.bits(plain.getWeights()), TestData.bits(weighted.getWeights()));
        // with class 1 weighing nothing, the model only learns to call everything class 0
        INDArray logits = weighted.predict(data.x());
        for (int i = 0; i < 64; i++) {
            if (data.labels()[i] == 0) {
                assertTrue(logits.getDouble(i, 0) < 0, "class 0 sample " + i + " got logit " + logits.getDouble(i, 0));
            }
        }
    }

    @Test
    void oneHotLabelsAreWeighedByTheirClass() {
        TestData.Set data = TestData.threeClusters(30, 10);
        Sequential model = new Sequential(new InputLayer(2), new Dense(3));
        model.compile(new SGD(0.5), new CategoricalCrossentropy(true));
        List<Integer> before = TestData.bits(model.getWeights());
        // every class weighs 0: no gradient, so SGD leaves the weights exactly as they were
        History history = model.fit(data.x(), data.y(), FitOptions.epochs(1).batchSize(8)
                .classWeight(Map.of(0, 0.0, 1, 0.0, 2, 0.0)).verbose(0));
        assertEquals(0.0, history.get("loss").get(0));
        assertEquals(before, TestData.bits(model.getWeights()));

        // classes not listed weigh 1: only class 2 counts, its cross-entropies summed over all 30 samples
        INDArray logits = model.predict(data.x());
        double sum = 0;
        for (int i = 0; i < 30; i++) {
            if (data.labels()[i] == 2) {
                double max = Math.max(logits.getDouble(i, 0), Math.max(logits.getDouble(i, 1), logits.getDouble(i, 2)));
                double logSumExp = max + Math.log(Math.exp(logits.getDouble(i, 0) - max)
                        + Math.exp(logits.getDouble(i, 1) - max) + Math.exp(logits.getDouble(i, 2) - max));
                sum += logSumExp - logits.getDouble(i, 2);
            }
        }
        History onlyTwo = model.fit(data.x(), data.y(), FitOptions.epochs(1).batchSize(30).shuffle(false)
                .classWeight(Map.of(0, 0.0, 1, 0.0)).verbose(0));
        assertEquals(sum / 30, onlyTwo.get("loss").get(0), 1e-6);
    }

    @Test
    void fitReturnsANewHistoryEachTime() {
        TestData.Set data = TestData.linear(20, new double[] {1}, 0, 0, 7);
        Sequential model = linear(1);
        History first = model.fit(data.x(), data.y(), FitOptions.epochs(2).verbose(0));
        History second = model.fit(data.x(), data.y(), FitOptions.epochs(1).verbose(0));
        assertEquals(2, first.get("loss").size());
        assertEquals(1, second.get("loss").size());
        assertSame(second, model.history());
        assertEquals(3, model.optimizer().iterations());
    }

    @Test
    void integerLabelsAreCastToTheModelsType() {
        TestData.Set data = TestData.twoGaussians(40, 2, 11);
        Sequential model = new Sequential(new InputLayer(2), new Dense(1));
        model.compile(new SGD(0.1), new BinaryCrossentropy(true), "accuracy");
        History history = model.fit(data.x(), data.y().castTo(org.nd4j.linalg.api.buffer.DataType.INT32),
                FitOptions.epochs(1).verbose(0));
        assertTrue(Double.isFinite(history.get("loss").get(0)));
    }
}
