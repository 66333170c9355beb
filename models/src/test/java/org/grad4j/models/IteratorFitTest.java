package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** fit on an ND4J DataSetIterator: its batches as they come, reset before each epoch. */
class IteratorFitTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(81);
    }

    private static Sequential model() {
        Sequential model = new Sequential(new InputLayer(2), new Dense(8, "relu"), new Dense(3));
        model.compile(new SGD(0.1), new CategoricalCrossentropy(true), "accuracy");
        return model;
    }

    /** An iterator that cannot be reset. */
    static final class OneShot extends ViewIterator {
        OneShot(DataSet data, int batchSize) {
            super(data, batchSize);
        }

        @Override
        public boolean resetSupported() {
            return false;
        }
    }

    @Test
    void anIteratorTrainsLikeTheSameBatchesFromArrays() {
        TestData.Set data = TestData.threeClusters(90, 1);
        Sequential fromArrays = model();
        Sequential fromIterator = model();
        fromIterator.setWeights(fromArrays.getWeights());

        History arrays = fromArrays.fit(data.x(), data.y(), FitOptions.epochs(3).batchSize(20).shuffle(false).verbose(0));
        TestData.BatchCounter counter = new TestData.BatchCounter();
        DataSetIterator iterator = new ViewIterator(new DataSet(data.x(), data.y()), 20);
        History iterated = fromIterator.fit(iterator, FitOptions.epochs(3).callbacks(counter).verbose(0));

        // 90 samples in batches of 20: four full and a last one of 10, every epoch (so the iterator was reset)
        assertEquals(List.of(5, 5, 5), counter.perEpoch);
        assertEquals(TestData.bits(fromArrays.getWeights()), TestData.bits(fromIterator.getWeights()));
        assertEquals(arrays.get("loss"), iterated.get("loss"));
        assertEquals(arrays.get("accuracy"), iterated.get("accuracy"));
        assertEquals(15, fromIterator.optimizer().iterations());
        assertEquals(3, iterated.params().get("epochs"));
        assertFalse(iterated.params().containsKey("steps"), "an iterator's length is not known: " + iterated.params());
    }

    @Test
    void validationDataWorksWithAnIterator() {
        TestData.Set data = TestData.threeClusters(60, 2);
        TestData.Set val = TestData.threeClusters(30, 3);
        Sequential model = model();
        History history = model.fit(new ViewIterator(new DataSet(data.x(), data.y()), 16),
                FitOptions.epochs(4).validationData(val.x(), val.y()).validationFreq(2).verbose(0));
        assertEquals(List.of(1, 3), history.epochsOf("val_loss"));
        assertEquals(List.of(1, 3), history.epochsOf("val_accuracy"));
        Map<String, Double> scores = model.evaluate(val.x(), val.y());
        assertEquals(scores.get("loss"), history.get("val_loss").get(1), 1e-12);
    }

    @Test
    void aOneShotIteratorServesOneEpoch() {
        TestData.Set data = TestData.threeClusters(40, 4);
        Sequential model = model();
        History history = model.fit(new OneShot(new DataSet(data.x(), data.y()), 16), FitOptions.epochs(1).verbose(0));
        assertEquals(1, history.get("loss").size());
        assertEquals(3, model.optimizer().iterations());

        Sequential other = model();
        List<Integer> before = TestData.bits(other.getWeights());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.fit(new OneShot(new DataSet(data.x(), data.y()), 16), FitOptions.epochs(2).verbose(0)));
        assertTrue(e.getMessage().contains("cannot be reset"), e.getMessage());
        assertEquals(before, TestData.bits(other.getWeights()));
        assertEquals(0, other.optimizer().iterations());
    }

    @Test
    void optionsThatNeedArraysAreRefused() {
        TestData.Set data = TestData.threeClusters(20, 5);
        Sequential model = model();
        DataSetIterator iterator = new ViewIterator(new DataSet(data.x(), data.y()), 8);
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
                () -> model.fit(iterator, FitOptions.epochs(1).validationSplit(0.2).verbose(0)));
        assertTrue(split.getMessage().contains("validationSplit"), split.getMessage());
        IllegalArgumentException weights = assertThrows(IllegalArgumentException.class,
                () -> model.fit(iterator, FitOptions.epochs(1).classWeight(Map.of(0, 2.0)).verbose(0)));
        assertTrue(weights.getMessage().contains("classWeight"), weights.getMessage());
        assertEquals(0, model.optimizer().iterations());
    }

    @Test
    void badLabelsInTheFirstBatchFailBeforeTraining() {
        TestData.Set data = TestData.threeClusters(20, 6);
        Sequential model = model();
        List<Integer> before = TestData.bits(model.getWeights());
        DataSet sparse = new DataSet(data.x(), TestData.sparse(data.labels()).reshape(20, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(new ViewIterator(sparse, 8), FitOptions.epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("SparseCategoricalCrossentropy"), e.getMessage());
        assertEquals(before, TestData.bits(model.getWeights()));
        assertEquals(0, model.optimizer().iterations());
    }
}
