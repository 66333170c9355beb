package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The check before the first step runs once per input signature: a repeated fit with the same shapes skips its
 * forward pass, anything that could change its outcome checks again, and bad input still fails before any
 * state changes.
 */
class CheckedInputsTest {

    /** Counts the forward passes that do not train: those of the check (fit's steps train). */
    static final class Counter extends Layer {
        int checks;

        @Override
        public Tensor call(Tensor inputs, boolean training) {
            if (!training) {
                checks++;
            }
            return inputs;
        }

        @Override
        public long[] computeOutputShape(long... inputShape) {
            return inputShape.clone();
        }
    }

    /** A subclass may decide its shapes on anything: it is checked on every call. */
    static final class Custom extends Sequential {
        Custom(Layer... layers) {
            super(layers);
        }
    }

    private Counter counter;
    private INDArray x;
    private INDArray y;

    @BeforeEach
    void setUp() {
        Layer.resetNameCounters();
        Seeds.set(7);
        counter = new Counter();
        x = Nd4j.rand(DataType.FLOAT, 40, 4);
        y = Nd4j.createFromArray(new float[40]);
        for (int i = 0; i < 40; i++) {
            y.putScalar(i, i % 3);
        }
    }

    private Sequential compiled(Sequential model) {
        model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(true));
        return model;
    }

    @Test
    void aRepeatedSignatureIsCheckedOnce() {
        Sequential model = compiled(new Sequential(new InputLayer(4), counter, new Dense(3)));
        model.fit(x, y, FitOptions.epochs(1).batchSize(8).verbose(0));
        assertEquals(1, counter.checks);
        model.fit(x, y, FitOptions.epochs(1).batchSize(8).verbose(0));
        model.trainOnBatch(x, y);
        assertEquals(1, counter.checks, "the same shapes again: no second check");
        model.fit(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 30)).dup(),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 30)).dup(),
                FitOptions.epochs(1).batchSize(8).verbose(0));
        assertEquals(2, counter.checks, "other shapes: checked");
        model.fit(x.castTo(DataType.DOUBLE), y, FitOptions.epochs(1).batchSize(8).verbose(0));
        assertEquals(3, counter.checks, "another type: checked");
        model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(true));
        model.fit(x, y, FitOptions.epochs(1).batchSize(8).verbose(0));
        assertEquals(4, counter.checks, "compiled again: checked");
    }

    @Test
    void labelValuesAreCheckedOnEveryCallBeforeAnyStateChanges() {
        Sequential model = compiled(new Sequential(new InputLayer(4), counter, new Dense(3)));
        model.fit(x, y, FitOptions.epochs(1).batchSize(8).verbose(0));
        List<Integer> weights = TestData.bits(model.getWeights());
        INDArray bad = y.dup();
        bad.putScalar(39, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(x, bad, FitOptions.epochs(1).batchSize(8).verbose(0)));
        assertTrue(e.getMessage().contains("from 0.0 to 3.0"), e.getMessage());
        assertEquals(weights, TestData.bits(model.getWeights()), "weights changed");
        assertEquals(1, counter.checks, "the shapes had passed: only the labels were checked");
    }

    @Test
    void aChangedModelIsCheckedAgainAndFailsBeforeAnyStateChanges() {
        Sequential model = compiled(new Sequential(new InputLayer(4), counter, new Dense(3)));
        model.fit(x, y, FitOptions.epochs(1).batchSize(8).verbose(0));
        model.pop();
        model.add(new Dense(2));
        List<Integer> weights = TestData.bits(model.getWeights());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(x, y, FitOptions.epochs(1).batchSize(8).verbose(0)));
        assertTrue(e.getMessage().contains("2 classes"), e.getMessage());
        assertEquals(weights, TestData.bits(model.getWeights()), "weights changed");
        assertEquals(2, counter.checks);
    }

    @Test
    void aSubclassIsCheckedOnEveryCall() {
        Sequential model = compiled(new Custom(new InputLayer(4), counter, new Dense(3)));
        model.fit(x, y, FitOptions.epochs(1).batchSize(8).verbose(0));
        model.fit(x, y, FitOptions.epochs(1).batchSize(8).verbose(0));
        assertEquals(2, counter.checks);
    }
}
