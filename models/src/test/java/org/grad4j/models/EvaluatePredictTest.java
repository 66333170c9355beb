package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Graph;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** evaluate and predict: batched results equal whole-set results, inference mode, no graph, no state change. */
class EvaluatePredictTest {

    /** Passes its input through and notes, on each call, whether a graph was being recorded and the training flag. */
    static final class Spy extends Layer {
        final List<Boolean> recording = new ArrayList<>();
        final List<Boolean> training = new ArrayList<>();

        @Override
        public Tensor call(Tensor inputs, boolean training) {
            this.recording.add(Graph.isRecording());
            this.training.add(training);
            return inputs;
        }

        @Override
        public long[] computeOutputShape(long... inputShape) {
            return inputShape.clone();
        }
    }

    private Sequential model;
    private Spy spy;
    private TestData.Set data;

    @BeforeEach
    void setUp() {
        Layer.resetNameCounters();
        Seeds.set(51);
        spy = new Spy();
        model = new Sequential(new InputLayer(3), new Dense(8, "tanh"), spy, new Dense(2));
        model.compile(new Adam(0.01), "mse", "mae");
        TestData.Set inputs = TestData.linear(103, new double[] {1, -1, 0.5}, 0, 0, 52);
        // two targets per sample: y and -2y + 1
        INDArray y = Nd4j.concat(1, inputs.y(), inputs.y().mul(-2).add(1));
        data = new TestData.Set(inputs.x(), y, null);
    }

    @Test
    void evaluateInBatchesEqualsTheLossOverAllSamples() {
        INDArray p = model.predict(data.x(), 103);
        double squared = 0;
        double absolute = 0;
        for (int i = 0; i < 103; i++) {
            for (int j = 0; j < 2; j++) {
                double d = p.getDouble(i, j) - data.y().getDouble(i, j);
                squared += d * d;
                absolute += Math.abs(d);
            }
        }
        double mse = squared / (103 * 2);
        double mae = absolute / (103 * 2);

        Map<String, Double> whole = model.evaluate(data.x(), data.y(), 103);
        for (int batch : new int[] {1, 10, 32, 64, 200}) {
            Map<String, Double> batched = model.evaluate(data.x(), data.y(), batch);
            assertEquals(List.of("loss", "mae"), List.copyOf(batched.keySet()));
            assertEquals(whole.get("loss"), batched.get("loss"), 1e-6, "batch " + batch);
            assertEquals(mse, batched.get("loss"), 1e-6 * Math.max(1, mse), "batch " + batch);
            assertEquals(mae, batched.get("mae"), 1e-6 * Math.max(1, mae), "batch " + batch);
        }
        assertEquals(model.evaluate(data.x(), data.y(), 32), model.evaluate(data.x(), data.y()), "default batch is 32");
    }

    @Test
    void predictInBatchesEqualsOneBatch() {
        INDArray whole = model.predict(data.x(), 103);
        assertArrayEquals(new long[] {103, 2}, whole.shape());
        for (int batch : new int[] {1, 7, 32, 500}) {
            INDArray batched = model.predict(data.x(), batch);
            assertArrayEquals(new long[] {103, 2}, batched.shape());
            assertTrue(whole.equalsWithEps(batched, 1e-6), "batch " + batch);
        }
        assertEquals(model.predict(data.x(), 32), model.predict(data.x()));
    }

    @Test
    void predictAndEvaluateRecordNoGraphAndRunInInferenceMode() {
        model.predict(data.x(), 10);
        assertEquals(11, spy.recording.size());
        assertFalse(spy.recording.contains(true), "predict recorded a graph");
        assertFalse(spy.training.contains(true), "predict ran in training mode");
        spy.recording.clear();
        spy.training.clear();
        model.evaluate(data.x(), data.y(), 50);
        assertFalse(spy.recording.isEmpty());
        assertFalse(spy.recording.contains(true), "evaluate recorded a graph");
        assertFalse(spy.training.contains(true), "evaluate ran in training mode");
        // while fit records and trains
        spy.recording.clear();
        spy.training.clear();
        model.fit(data.x(), data.y(), FitOptions.epochs(1).verbose(0));
        assertTrue(spy.recording.contains(true) && spy.training.contains(true));
    }

    @Test
    void predictRecordsNothingEvenInsideATape() {
        // a user's open tape records every op on trainable variables; predict must still record none
        GradientTape tape = GradientTape.open();
        try (tape) {
            assertTrue(Graph.isRecording());
            model.predict(data.x(), 50);
        }
        assertEquals(List.of(false, false, false), spy.recording);
        // the same call through apply, for contrast, is recorded
        spy.recording.clear();
        GradientTape other = GradientTape.open();
        Tensor out;
        try (other) {
            out = model.apply(Tensor.of(data.x()), false);
        }
        assertEquals(List.of(true), spy.recording);
        assertTrue(out.gradFn() != null);
    }

    @Test
    void dropoutIsOffInPredictAndEvaluate() {
        Sequential dropped = new Sequential(new InputLayer(3), new Dense(16), new Dropout(0.5), new Dense(1));
        dropped.compile(new Adam(0.01), "mse");
        INDArray first = dropped.predict(data.x());
        INDArray second = dropped.predict(data.x());
        assertEquals(first, second);
        INDArray y = data.y().getColumn(0).reshape(103, 1);
        assertEquals(dropped.evaluate(data.x(), y), dropped.evaluate(data.x(), y));
    }

    /**
     * Views (a range of rows, a column, some columns) give what copies give. ND4J's interval get on a view
     * can return a scalar for the last rows, so this fails if the trainer slices views directly.
     */
    @Test
    void viewsAreBatchedLikeCopies() {
        INDArray wide = Nd4j.concat(1, Nd4j.zeros(DataType.FLOAT, 103, 1), data.x(), data.y());
        INDArray xView = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4));
        INDArray yView = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(4, 6));
        assertTrue(xView.isView() && yView.isView());
        assertEquals(model.predict(data.x(), 32), model.predict(xView, 32));
        assertEquals(model.evaluate(data.x(), data.y(), 32), model.evaluate(xView, yView, 32));

        INDArray tall = Nd4j.concat(0, Nd4j.zeros(DataType.FLOAT, 7, 3), data.x());
        INDArray rowsView = tall.get(NDArrayIndex.interval(7, 110), NDArrayIndex.all());
        assertEquals(model.predict(data.x(), 10), model.predict(rowsView, 10));

        INDArray column = data.y().getColumn(0).reshape(103, 1);
        Sequential single = new Sequential(new InputLayer(3), new Dense(1));
        single.compile(new Adam(0.01), "mse");
        List<INDArray> init = single.getWeights();
        Map<String, Double> fromView = single.fit(xView, column, FitOptions.epochs(2).seed(3).validationSplit(0.25)
                .verbose(0)).history().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().get(1)));
        List<Integer> trainedFromView = TestData.bits(single.getWeights());
        single.setWeights(init);
        single.compile(new Adam(0.01), "mse");
        Map<String, Double> fromCopy = single.fit(data.x(), column.dup(), FitOptions.epochs(2).seed(3)
                .validationSplit(0.25).verbose(0)).history().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().get(1)));
        assertEquals(fromCopy, fromView);
        assertEquals(TestData.bits(single.getWeights()), trainedFromView);
    }

    @Test
    void predictAndEvaluateChangeNoState() {
        List<Integer> weights = TestData.bits(model.getWeights());
        model.predict(data.x());
        model.evaluate(data.x(), data.y());
        assertEquals(weights, TestData.bits(model.getWeights()));
        assertEquals(0, model.optimizer().iterations());
    }

    @Test
    void predictBuildsAnUnbuiltModelAndAcceptsIntegers() {
        Sequential lazy = new Sequential(new Dense(2));
        INDArray p = lazy.predict(Nd4j.ones(DataType.INT32, 4, 5));
        assertArrayEquals(new long[] {4, 2}, p.shape());
        assertEquals(DataType.FLOAT, p.dataType());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lazy.predict(Nd4j.ones(DataType.FLOAT, 0, 5)));
        assertTrue(e.getMessage().contains("at least one sample"), e.getMessage());
    }

    @Test
    void trainOnBatchTakesOneStepAndReportsThatBatch() {
        INDArray xb = data.x().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 16),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray yb = data.y().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 16),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        Map<String, Double> before = model.evaluate(xb, yb, 16);
        Map<String, Double> logs = model.trainOnBatch(xb, yb);
        assertEquals(1, model.optimizer().iterations());
        // the logged loss is the batch's loss before the step
        assertEquals(before.get("loss"), logs.get("loss"), 1e-6);
        assertEquals(before.get("mae"), logs.get("mae"), 1e-6);
        assertTrue(model.evaluate(xb, yb, 16).get("loss") < before.get("loss"));
    }
}
