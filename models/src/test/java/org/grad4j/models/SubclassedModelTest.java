package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Layer;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Subclassed models: layers registered with track(...) or held in plain fields are found, built and trained. */
class SubclassedModelTest {

    /** The API's example: layers registered with track. */
    static final class TwoLayer extends Model {
        final Dense hidden = track(new Dense(16, "relu")), out = track(new Dense(1));

        @Override
        public Tensor call(Tensor x, boolean training) {
            return out.apply(hidden.apply(x, training), training);
        }
    }

    /** The same with plain fields: found by reflection, in declaration order. */
    static final class PlainFields extends Model {
        private final Dense first = new Dense(8, "tanh");
        private final Dense second = new Dense(1);
        private final int notALayer = 3;

        @Override
        public Tensor call(Tensor x, boolean training) {
            return second.apply(first.apply(x, training), training);
        }
    }

    /** Layers kept in a list field, and a subclass of a subclass adding a field of its own. */
    static class Stack extends Model {
        final List<Dense> blocks = new ArrayList<>(List.of(new Dense(4, "relu"), new Dense(4, "relu")));

        @Override
        public Tensor call(Tensor x, boolean training) {
            Tensor h = x;
            for (Dense d : blocks) {
                h = d.apply(h, training);
            }
            return h;
        }
    }

    static final class StackWithHead extends Stack {
        final Dense head = new Dense(2);

        @Override
        public Tensor call(Tensor x, boolean training) {
            return head.apply(super.call(x, training), training);
        }
    }

    /** Does not override call. */
    static final class NoCall extends Model {
        final Dense d = track(new Dense(1));
    }

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(5);
    }

    private static List<String> names(List<Variable> vs) {
        return vs.stream().map(v -> v.name() + " " + java.util.Arrays.toString(v.shape())).toList();
    }

    @Test
    void trackedLayersAreFoundAndBuilt() {
        TwoLayer model = new TwoLayer();
        assertEquals("two_layer", model.name());
        assertEquals(List.of(model.hidden, model.out), model.layers());
        assertFalse(model.isBuilt());
        model.build(3);
        assertTrue(model.isBuilt());
        assertArrayEquals(new long[] {-1, 3}, model.buildInputShape());
        assertEquals(List.of("dense/kernel:0 [3, 16]", "dense/bias:0 [16]", "dense_1/kernel:0 [16, 1]", "dense_1/bias:0 [1]"),
                names(model.trainableVariables()));
        assertSame(model.out, model.getLayer("dense_1"));
        assertEquals(3 * 16 + 16 + 16 + 1, model.countParams());
    }

    @Test
    void plainFieldsAreFoundInDeclarationOrder() {
        PlainFields model = new PlainFields();
        assertEquals(2, model.layers().size());
        assertEquals(List.of("dense", "dense_1"), model.layers().stream().map(Layer::name).toList());
        model.build(5);
        assertEquals(List.of("dense/kernel:0 [5, 8]", "dense/bias:0 [8]", "dense_1/kernel:0 [8, 1]", "dense_1/bias:0 [1]"),
                names(model.variables()));
    }

    @Test
    void listFieldsAndSuperclassFieldsAreFound() {
        StackWithHead model = new StackWithHead();
        assertEquals(List.of("dense", "dense_1", "dense_2"), model.layers().stream().map(Layer::name).toList());
        model.build(3);
        assertEquals(List.of("dense/kernel:0 [3, 4]", "dense/bias:0 [4]", "dense_1/kernel:0 [4, 4]", "dense_1/bias:0 [4]",
                "dense_2/kernel:0 [4, 2]", "dense_2/bias:0 [2]"), names(model.variables()));
    }

    @Test
    void theFirstCallBuildsTheModel() {
        TwoLayer model = new TwoLayer();
        INDArray out = model.predict(Nd4j.ones(DataType.FLOAT, 5, 2));
        assertArrayEquals(new long[] {5, 1}, out.shape());
        assertTrue(model.isBuilt());
        assertEquals(4, model.trainableVariables().size());
    }

    @Test
    void fitTrainsATrackedModel() {
        assertFitLearnsALinearMap(new TwoLayer());
    }

    @Test
    void fitTrainsAPlainFieldModel() {
        assertFitLearnsALinearMap(new PlainFields());
    }

    private static void assertFitLearnsALinearMap(Model model) {
        TestData.Set data = TestData.linear(128, new double[] {1.5, -2.0}, 0.5, 0.0, 21);
        model.compile(new Adam(0.05), new MeanSquaredError());
        assertEquals(List.of(), model.variables(), "built by the first batch, not before");
        double initial = model.evaluate(data.x(), data.y()).get("loss");
        History history = model.fit(data.x(), data.y(), FitOptions.epochs(25).batchSize(32).seed(1).verbose(0));
        double last = history.get("loss").get(24);
        assertTrue(last < initial / 20, "loss went from " + initial + " to " + last);
        double evaluated = model.evaluate(data.x(), data.y()).get("loss");
        assertTrue(evaluated < initial / 20, "evaluate: " + evaluated + " from " + initial);
    }

    @Test
    void freezingAModelFreezesItsLayers() {
        TwoLayer model = new TwoLayer();
        model.build(2);
        model.setTrainable(false);
        assertFalse(model.hidden.trainable());
        assertEquals(List.of(), model.trainableVariables());
        assertEquals(4, model.nonTrainableVariables().size());
        model.setTrainable(true);
        model.out.setTrainable(false);
        assertEquals(List.of("dense/kernel:0 [2, 16]", "dense/bias:0 [16]"), names(model.trainableVariables()));
        assertEquals(List.of("dense_1/kernel:0 [16, 1]", "dense_1/bias:0 [1]"), names(model.nonTrainableVariables()));
    }

    @Test
    void aFrozenLayerIsNotTrained() {
        TwoLayer model = new TwoLayer();
        model.build(2);
        model.hidden.setTrainable(false);
        List<Integer> frozenBefore = TestData.bits(List.of(model.hidden.weights().get(0).array()));
        List<Integer> outBefore = TestData.bits(List.of(model.out.weights().get(0).array()));
        TestData.Set data = TestData.linear(64, new double[] {1, 1}, 0, 0, 2);
        model.compile(new Adam(0.05), "mse").fit(data.x(), data.y(), FitOptions.epochs(2).verbose(0));
        assertEquals(frozenBefore, TestData.bits(List.of(model.hidden.weights().get(0).array())));
        assertFalse(outBefore.equals(TestData.bits(List.of(model.out.weights().get(0).array()))));
    }

    @Test
    void aModelWithoutCallSaysSo() {
        NoCall model = new NoCall();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> model.build(2));
        assertTrue(e.getMessage().contains("no_call") && e.getMessage().contains("override call"), e.getMessage());
    }

    @Test
    void aModelCannotTrackItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Model() {
            {
                track(this);
            }
        });
        assertTrue(e.getMessage().contains("cannot contain itself"), e.getMessage());
    }
}
