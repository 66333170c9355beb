package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.data.Dataset;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.models.callbacks.Callback;
import org.grad4j.models.callbacks.EarlyStopping;
import org.grad4j.models.callbacks.ProgbarLogger;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;

/** fit, evaluate and predict on a Dataset: the same results as arrays, Keras' epoch rules, every pass closed. */
class DatasetFitTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(83);
    }

    private static Sequential model() {
        Sequential model = new Sequential(new InputLayer(2), new Dense(8, "relu"), new Dense(3));
        model.compile(new SGD(0.1), new CategoricalCrossentropy(true), "accuracy");
        return model;
    }

    private static Sequential copyOf(Sequential original) {
        Sequential copy = model();
        copy.setWeights(original.getWeights());
        return copy;
    }

    @Test
    void aBatchedDatasetTrainsBitForBitLikeArraysWithoutShuffling() {
        TestData.Set data = TestData.threeClusters(90, 1);
        Sequential fromArrays = model();
        Sequential fromDataset = copyOf(fromArrays);

        History arrays = fromArrays.fit(data.x(), data.y(), FitOptions.epochs(3).batchSize(20).shuffle(false).verbose(0));
        TestData.BatchCounter counter = new TestData.BatchCounter();
        RecordingDataset ds = RecordingDataset.of(Dataset.fromArrays(data.x(), data.y()).batch(20));
        History fromDs = fromDataset.fit(ds, FitOptions.epochs(3).callbacks(counter).verbose(0));

        assertEquals(List.of(5, 5, 5), counter.perEpoch);
        assertEquals(TestData.bits(fromArrays.getWeights()), TestData.bits(fromDataset.getWeights()));
        assertEquals(arrays.history(), fromDs.history());
        assertEquals(5, fromDs.params().get("steps"), "a Dataset of known size gives Keras' steps param");
        assertEquals(3, ds.opened, "one pass per epoch, the first batch read to check shapes is not read twice");
        assertEquals(15, ds.read);
        assertTrue(ds.allClosed());
    }

    @Test
    void batchSizeAndShuffleDoNotApplyToADataset() {
        TestData.Set data = TestData.threeClusters(40, 2);
        Sequential a = model();
        Sequential b = copyOf(a);
        a.fit(Dataset.fromArrays(data.x(), data.y()).batch(10), FitOptions.epochs(2).verbose(0));
        b.fit(Dataset.fromArrays(data.x(), data.y()).batch(10), FitOptions.epochs(2).batchSize(3).shuffle(true).seed(5).verbose(0));
        assertEquals(TestData.bits(a.getWeights()), TestData.bits(b.getWeights()));
    }

    @Test
    void aValidationDatasetGivesTheSameValMetricsAsValidationArrays() {
        TestData.Set data = TestData.threeClusters(60, 3);
        TestData.Set val = TestData.threeClusters(45, 4);
        Sequential withArrays = model();
        Sequential withDataset = copyOf(withArrays);
        Sequential mixed = copyOf(withArrays);
        RecordingDataset valDs = RecordingDataset.of(Dataset.fromArrays(val.x(), val.y()).batch(32));

        History a = withArrays.fit(data.x(), data.y(), FitOptions.epochs(4).batchSize(16).shuffle(false)
                .validationData(val.x(), val.y()).validationFreq(2).verbose(0));
        History d = withDataset.fit(Dataset.fromArrays(data.x(), data.y()).batch(16), FitOptions.epochs(4)
                .validationData(valDs).validationFreq(2).verbose(0));

        assertEquals(List.of(1, 3), d.epochsOf("val_loss"));
        assertEquals(a.history(), d.history());
        assertEquals(3, valDs.opened, "one pass to check the shapes before training, then one per validation");
        assertTrue(valDs.allClosed());
        // arrays training with a Dataset for validation: the same numbers again
        History mixedHistory = mixed.fit(data.x(), data.y(), FitOptions.epochs(4).batchSize(16).shuffle(false)
                .validationData(Dataset.fromArrays(val.x(), val.y()).batch(32)).validationFreq(2).verbose(0));
        assertEquals(a.history(), mixedHistory.history());
    }

    @Test
    void evaluateAndPredictOnADatasetEqualTheArrayVersions() {
        TestData.Set data = TestData.threeClusters(50, 5);
        Sequential model = model();
        model.fit(data.x(), data.y(), FitOptions.epochs(1).verbose(0));

        Map<String, Double> arrays = model.evaluate(data.x(), data.y(), 16);
        assertEquals(arrays, model.evaluate(Dataset.fromArrays(data.x(), data.y()).batch(16)));
        INDArray predicted = model.predict(data.x(), 16);
        assertEquals(predicted, model.predict(Dataset.fromArrays(data.x()).batch(16)));
        assertEquals(predicted, model.predict(Dataset.fromArrays(data.x(), data.y()).batch(16)), "labels are ignored");
        assertArrayEquals(new long[] {50, 3}, predicted.shape());

        // steps: the first batches only
        Map<String, Double> firstTwo = model.evaluate(data.x().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 32)).dup(),
                data.y().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 32)).dup(), 16);
        assertEquals(firstTwo, model.evaluate(Dataset.fromArrays(data.x(), data.y()).batch(16), 2));
        assertArrayEquals(new long[] {32, 3}, model.predict(Dataset.fromArrays(data.x()).batch(16), 2).shape());
    }

    @Test
    void columnMajorInputsGiveTheSameResultsAsRowMajorOnes() {
        // a Dataset's batches are stacked by Nd4j.stack, which returns 'f'-ordered arrays
        TestData.Set data = TestData.threeClusters(20, 15);
        Sequential model = model();
        model.fit(data.x(), data.y(), FitOptions.epochs(1).verbose(0));
        assertEquals(model.predict(data.x()), model.predict(data.x().dup('f')));
        assertEquals(model.evaluate(data.x(), data.y()), model.evaluate(data.x().dup('f'), data.y().dup('f')));
    }

    @Test
    void evaluateAndPredictOnAnIteratorEqualTheArrayVersions() {
        TestData.Set data = TestData.threeClusters(50, 6);
        Sequential model = model();
        model.fit(data.x(), data.y(), FitOptions.epochs(1).verbose(0));
        assertEquals(model.evaluate(data.x(), data.y(), 16),
                model.evaluate(new ViewIterator(new DataSet(data.x(), data.y()), 16)));
        ViewIterator iterator = new ViewIterator(new DataSet(data.x(), data.y()), 16);
        iterator.next();   // evaluate and predict reset the iterator first, as fit does
        assertEquals(model.predict(data.x(), 16), model.predict(iterator));
    }

    @Test
    void anUnknownSizeTrainsLikeArraysAndTheProgressBarShowsNoTotalInTheFirstEpoch() {
        TestData.Set data = TestData.threeClusters(90, 7);
        Sequential fromArrays = model();
        Sequential fromDataset = copyOf(fromArrays);
        fromArrays.fit(data.x(), data.y(), FitOptions.epochs(2).batchSize(20).shuffle(false).verbose(0));

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ProgbarLogger bar = new ProgbarLogger(1, new PrintStream(text, true, StandardCharsets.UTF_8), true);
        TestData.BatchCounter counter = new TestData.BatchCounter();
        RecordingDataset ds = RecordingDataset.unknownSize(Dataset.fromArrays(data.x(), data.y()).batch(20));
        History h = fromDataset.fit(ds, FitOptions.epochs(2).callbacks(bar, counter).verbose(0));

        assertFalse(h.params().containsKey("steps"), "unknown, as Keras leaves it None: " + h.params());
        assertEquals(List.of(5, 5), counter.perEpoch);
        assertEquals(TestData.bits(fromArrays.getWeights()), TestData.bits(fromDataset.getWeights()));
        String[] epochs = text.toString(StandardCharsets.UTF_8).split("Epoch 2/2");
        assertTrue(epochs[0].contains("1/Unknown"), epochs[0]);
        assertTrue(epochs[0].contains("5/Unknown"), epochs[0]);
        assertTrue(epochs[1].contains("5/5 ━━━━━━━━━━━━━━━━━━━━"), "the second epoch knows the size: " + epochs[1]);
        assertTrue(ds.allClosed());
    }

    @Test
    void anInfiniteDatasetNeedsStepsPerEpochAndThenOnePassContinuesAcrossEpochs() {
        TestData.Set data = TestData.threeClusters(50, 8);
        Sequential model = model();
        RecordingDataset forever = RecordingDataset.repeated(Dataset.fromArrays(data.x(), data.y()).batch(10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(forever, FitOptions.epochs(2).verbose(0)));
        assertTrue(e.getMessage().contains("infinite") && e.getMessage().contains("stepsPerEpoch"), e.getMessage());
        assertEquals(0, forever.opened, "refused before anything is read");
        assertEquals(0, model.optimizer().iterations());

        TestData.BatchCounter counter = new TestData.BatchCounter();
        History h = model.fit(forever, FitOptions.epochs(3).stepsPerEpoch(7).callbacks(counter).verbose(0));
        assertEquals(List.of(7, 7, 7), counter.perEpoch);
        assertEquals(7, h.params().get("steps"));
        assertEquals(1, forever.opened, "Keras keeps one iterator across epochs when steps_per_epoch is given");
        assertEquals(21, forever.read);
        assertTrue(forever.allClosed());

        // the same batches in order as arrays, 21 batches of 10 running through the 5 batches of the data 4.2 times
        Sequential again = model();
        Layer.resetNameCounters();
        Sequential fromArrays = copyOf(again);
        RecordingDataset forever2 = RecordingDataset.repeated(Dataset.fromArrays(data.x(), data.y()).batch(10));
        again.fit(forever2, FitOptions.epochs(3).stepsPerEpoch(7).verbose(0));
        INDArray x = Nd4j.concat(0, data.x(), data.x(), data.x(), data.x(), data.x().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10)));
        INDArray y = Nd4j.concat(0, data.y(), data.y(), data.y(), data.y(), data.y().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10)));
        fromArrays.fit(x, y, FitOptions.epochs(1).batchSize(10).shuffle(false).verbose(0));
        assertEquals(TestData.bits(fromArrays.getWeights()), TestData.bits(again.getWeights()));
    }

    @Test
    void aFinitePassThatRunsOutEndsItsEpochWithAWarningAndTheNextEpochStartsANewOne() {
        TestData.Set data = TestData.threeClusters(50, 9);
        Sequential model = model();
        RecordingDataset ds = RecordingDataset.of(Dataset.fromArrays(data.x(), data.y()).batch(10));
        TestData.BatchCounter counter = new TestData.BatchCounter();
        List<java.util.logging.LogRecord> log = TestData.captureLog("org.grad4j.models",
                () -> model.fit(ds, FitOptions.epochs(4).stepsPerEpoch(2).callbacks(counter).verbose(0)));
        // 5 batches per pass: 2 + 2, then 1 and out of data; the fourth epoch opens a new pass
        assertEquals(List.of(2, 2, 1, 2), counter.perEpoch);
        assertEquals(2, ds.opened);
        assertTrue(ds.allClosed());
        assertTrue(log.stream().anyMatch(r -> r.getMessage().contains("ran out of data after 1 of 2 steps in epoch 2")),
                "warned: " + log.stream().map(java.util.logging.LogRecord::getMessage).toList());
    }

    /** Sets stopTraining after the given batch of the first epoch. */
    private static final class StopAt extends Callback {
        private final int batch;

        StopAt(int batch) {
            this.batch = batch;
        }

        @Override
        public void onTrainBatchEnd(int b, Map<String, Double> logs) {
            if (b == batch) {
                model().stopTraining(true);
            }
        }
    }

    @Test
    void everyPassIsClosedWhenTrainingStopsEarly() {
        TestData.Set data = TestData.threeClusters(60, 10);
        RecordingDataset ds = RecordingDataset.of(Dataset.fromArrays(data.x(), data.y()).batch(10));
        TestData.BatchCounter counter = new TestData.BatchCounter();
        model().fit(ds, FitOptions.epochs(5).callbacks(new StopAt(2), counter).verbose(0));
        assertEquals(List.of(3), counter.perEpoch);
        assertEquals(1, ds.opened);
        assertTrue(ds.allClosed(), "the pass left after 3 of 6 batches is closed");

        // EarlyStopping ends at an epoch's end; with stepsPerEpoch the pass is still open then
        RecordingDataset forever = RecordingDataset.repeated(Dataset.fromArrays(data.x(), data.y()).batch(10));
        History h = model().fit(forever, FitOptions.epochs(50).stepsPerEpoch(2).verbose(0)
                .callbacks(new EarlyStopping("loss").patience(0).baseline(-1.0)));
        assertTrue(h.get("loss").size() < 50, "EarlyStopping stopped it: " + h.get("loss").size() + " epochs");
        assertEquals(1, forever.opened);
        assertTrue(forever.allClosed());
    }

    @Test
    void everyPassIsClosedWhenTrainingFails() {
        TestData.Set data = TestData.threeClusters(60, 11);
        RecordingDataset failing = RecordingDataset.failingAt(Dataset.fromArrays(data.x(), data.y()).batch(10), 3);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model().fit(failing, FitOptions.epochs(2).verbose(0)));
        assertTrue(e.getMessage().contains("read 3 fails"), e.getMessage());
        assertTrue(failing.allClosed());

        RecordingDataset ds = RecordingDataset.of(Dataset.fromArrays(data.x(), data.y()).batch(10));
        RecordingDataset val = RecordingDataset.failingAt(Dataset.fromArrays(data.x(), data.y()).batch(10), 2);
        Callback throwing = new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
                if (batch == 1) {
                    throw new IllegalStateException("callback fails");
                }
            }
        };
        assertThrows(IllegalStateException.class,
                () -> model().fit(ds, FitOptions.epochs(2).callbacks(throwing).validationData(val).verbose(0)));
        assertTrue(ds.allClosed());
        assertTrue(val.allClosed());
        assertThrows(IllegalStateException.class,
                () -> model().fit(RecordingDataset.of(Dataset.fromArrays(data.x(), data.y()).batch(10)),
                        FitOptions.epochs(2).validationData(val).verbose(0)), "validation's pass fails");
        assertTrue(val.allClosed(), "the failing validation pass is closed too");
        RecordingDataset evalFails = RecordingDataset.failingAt(Dataset.fromArrays(data.x(), data.y()).batch(10), 2);
        assertThrows(IllegalStateException.class, () -> model().evaluate(evalFails));
        assertTrue(evalFails.allClosed());
        RecordingDataset predictFails = RecordingDataset.failingAt(Dataset.fromArrays(data.x()).batch(10), 2);
        assertThrows(IllegalStateException.class, () -> model().predict(predictFails));
        assertTrue(predictFails.allClosed());
    }

    @Test
    void classWeightAndElementWeightsWorkWithADatasetAsWithArrays() {
        TestData.Set data = TestData.threeClusters(60, 12);
        Map<Integer, Double> classWeight = Map.of(0, 3.0, 2, 0.5);
        Sequential arrays = model();
        Sequential dataset = copyOf(arrays);
        History a = arrays.fit(data.x(), data.y(), FitOptions.epochs(2).batchSize(16).shuffle(false).classWeight(classWeight).verbose(0));
        History d = dataset.fit(Dataset.fromArrays(data.x(), data.y()).batch(16), FitOptions.epochs(2).classWeight(classWeight).verbose(0));
        assertEquals(TestData.bits(arrays.getWeights()), TestData.bits(dataset.getWeights()));
        assertEquals(a.history(), d.history());

        INDArray w = Nd4j.linspace(0, 2, 60, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        Sequential arraysW = model();
        Sequential datasetW = copyOf(arraysW);
        a = arraysW.fit(data.x(), data.y(), w, FitOptions.epochs(2).batchSize(16).shuffle(false).verbose(0));
        d = datasetW.fit(Dataset.fromArrays(data.x(), data.y(), w).batch(16), FitOptions.epochs(2).verbose(0));
        assertEquals(TestData.bits(arraysW.getWeights()), TestData.bits(datasetW.getWeights()));
        assertEquals(a.history(), d.history());
        Sequential unweighted = copyOf(arraysW);
        assertNotEquals(a.history(), unweighted.fit(data.x(), data.y(), FitOptions.epochs(2).batchSize(16).shuffle(false).verbose(0)).history());
        assertEquals(arraysW.evaluate(data.x(), data.y(), w, 16), datasetW.evaluate(Dataset.fromArrays(data.x(), data.y(), w).batch(16)));
    }

    private static void refused(Sequential model, Runnable bad, String... fragments) {
        List<Integer> weights = TestData.bits(model.getWeights());
        long iterations = model.optimizer().iterations();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + fragment + "\" is not in: " + e.getMessage());
        }
        assertEquals(weights, TestData.bits(model.getWeights()), "weights changed");
        assertEquals(iterations, model.optimizer().iterations(), "the optimizer stepped");
    }

    @Test
    void badDatasetsAreRefusedBeforeAnythingChanges() {
        TestData.Set data = TestData.threeClusters(30, 13);
        Sequential model = model();
        model.build(2);
        Dataset unbatched = Dataset.fromArrays(data.x(), data.y());
        Dataset batched = unbatched.batch(10);
        refused(model, () -> model.fit(unbatched, FitOptions.epochs(1).verbose(0)), "fit", "not batched", ".batch(");
        refused(model, () -> model.evaluate(unbatched), "evaluate", "not batched", ".batch(");
        refused(model, () -> model.predict(unbatched), "predict", "not batched", ".batch(");
        refused(model, () -> model.fit(batched, FitOptions.epochs(1).validationData(unbatched).verbose(0)),
                "fit: validationData", "not batched");
        refused(model, () -> model.fit(batched, FitOptions.epochs(1).validationSplit(0.2).verbose(0)),
                "validationSplit does not apply to a Dataset");
        refused(model, () -> model.fit(Dataset.fromArrays(data.x()).batch(10), FitOptions.epochs(1).verbose(0)),
                "fit: batch 0 of the dataset has no labels");
        refused(model, () -> model.fit(Dataset.fromArrays(data.x(), data.y(), Nd4j.ones(30)).batch(10),
                FitOptions.epochs(1).classWeight(Map.of(0, 2.0)).verbose(0)), "sampleWeight and classWeight");
        refused(model, () -> model.fit(Dataset.fromArrays(data.x(), TestData.sparse(data.labels())).batch(10),
                FitOptions.epochs(1).verbose(0)), "fit");
        RecordingDataset foreverVal = RecordingDataset.repeated(batched);
        refused(model, () -> model.fit(batched, FitOptions.epochs(1).validationData(foreverVal).verbose(0)),
                "fit: validationData", "infinite", "validationSteps");
        refused(model, () -> model.evaluate(foreverVal), "evaluate", "infinite");
        refused(model, () -> model.predict(foreverVal), "predict", "infinite");
        refused(model, () -> model.fit(data.x(), data.y(), FitOptions.epochs(1).stepsPerEpoch(2).verbose(0)),
                "stepsPerEpoch applies to a Dataset");
        refused(model, () -> model.fit(batched, FitOptions.epochs(1).validationSteps(2).verbose(0)),
                "validationSteps applies to a validation Dataset");
        assertEquals(0, foreverVal.opened);
        // a validation dataset of the wrong width fails before the first training step
        Dataset wrongWidth = Dataset.fromArrays(Nd4j.ones(10, 5), data.y().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10)).dup()).batch(5);
        refused(model, () -> model.fit(batched, FitOptions.epochs(1).validationData(wrongWidth).verbose(0)),
                "fit: validationData", "x of shape [5, 5]");
    }

    @Test
    void anInfiniteValidationDatasetWithValidationStepsIsReadThatFar() {
        TestData.Set data = TestData.threeClusters(40, 14);
        Sequential model = model();
        RecordingDataset forever = RecordingDataset.repeated(Dataset.fromArrays(data.x(), data.y()).batch(10));
        History h = model.fit(Dataset.fromArrays(data.x(), data.y()).batch(10),
                FitOptions.epochs(2).validationData(forever).validationSteps(3).verbose(0));
        assertEquals(2, h.get("val_loss").size());
        assertEquals(1 + 3 + 3, forever.read, "one batch checked before training, then 3 per validation");
        assertTrue(forever.allClosed());
        assertEquals(h.get("val_loss").get(1), model.evaluate(forever, 3).get("loss"));
    }
}
