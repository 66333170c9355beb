package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class LayerTest {

    /** A user's layer as the Keras guide writes it: build adds weights, call forgets maybeBuild. */
    static class ScaleAndShift extends Layer {
        Variable scale;
        Variable shift;

        @Override
        public void build(long... inputShape) {
            long features = inputShape[inputShape.length - 1];
            scale = addWeight("scale", new long[] {features}, Initializers.ones(), true, Regularizers.l2(0.5));
            shift = addWeight("shift", new long[] {features}, Initializers.zeros(), false);
            super.build(inputShape);
        }

        @Override
        public Tensor call(Tensor inputs, boolean training) {
            return inputs.mul(scale).add(shift);
        }
    }

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void automaticNamesCountPerClassAsKeras() {
        assertEquals("dense", new Dense(1).name());
        assertEquals("dense_1", new Dense(1).name());
        assertEquals("batch_normalization", new BatchNormalization().name());
        assertEquals("dense_2", new Dense(1).name());
        assertEquals("input_layer", new InputLayer(3).name());
        assertEquals("scale_and_shift", new ScaleAndShift().name());
        assertEquals("scale_and_shift_1 (ScaleAndShift)", new ScaleAndShift().describe());
        Layer.resetNameCounters();
        assertEquals("dense", new Dense(1).name());
    }

    @Test
    void autoNamesFollowKerasSnakeCase() {
        assertEquals("batch_normalization", new BatchNormalization().name());
        assertEquals("input_layer", new InputLayer(3).name());
        // an anonymous class takes its superclass' name
        assertEquals("scale_and_shift", new ScaleAndShift() { }.name());
    }

    @Test
    void namesAreUniqueAcrossThreads() throws InterruptedException {
        Set<String> names = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 400; i++) {
            pool.submit(() -> names.add(new Flatten().name()));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(400, names.size());
        assertTrue(names.contains("flatten") && names.contains("flatten_399"));
    }

    @Test
    void anExplicitNameNamesTheWeightsAndLeavesTheCounter() {
        Dense out = new Dense(2).name("out");
        out.build(-1, 3);
        assertNames(List.of("out/kernel:0 [3, 2]", "out/bias:0 [2]"), out.weights());
        assertEquals("dense", new Dense(1).name());
        assertEquals("out (Dense)", out.describe());

        var e = assertThrows(IllegalArgumentException.class, () -> new Dense(1).name("a/b"));
        assertEquals("dense_1 (Dense): a layer name must be non-blank and contain no '/', got \"a/b\"", e.getMessage());
        Dense beforeReset = new Dense(1);
        Layer.resetNameCounters();
        new Dense(1);
        new Dense(1);
        assertEquals("dense_2", new Dense(1).name());
        beforeReset.name("renamed"); // it had been dense_2 too, from the counter before the reset
        assertEquals("dense_3", new Dense(1).name(), "a name issued before the reset is not given back");

        var built = assertThrows(IllegalStateException.class, () -> out.name("late"));
        assertEquals("out (Dense): name(\"late\") must be set before the layer is built", built.getMessage());
    }

    @Test
    void applyBuildsACustomLayerLazilyAndReportsItsPenalties() {
        ScaleAndShift layer = new ScaleAndShift();
        assertFalse(layer.isBuilt());
        Tensor y = layer.apply(normal(1, 4, 3), true);

        assertTrue(layer.isBuilt());
        assertArrayEquals(new long[] {4, 3}, y.shape());
        assertNames(List.of("scale_and_shift/scale:0 [3]"), layer.trainableWeights());
        assertNames(List.of("scale_and_shift/shift:0 [3]"), layer.nonTrainableWeights());
        assertEquals(6, layer.countParams());
        // 0.5 * sum(ones(3)²)
        assertEquals(1, layer.losses().size());
        assertEquals(1.5, layer.losses().get(0).itemDouble(), 1e-6);
        // the default computeOutputShape traces a call
        assertArrayEquals(new long[] {-1, 3}, layer.computeOutputShape(-1, 3));
    }

    @Test
    void aFailedBuildLeavesTheLayerUnbuilt() {
        Layer failing = new ScaleAndShift() {
            @Override
            public void build(long... inputShape) {
                addWeight("first", new long[] {2}, Initializers.ones(), true);
                throw new IllegalArgumentException("second weight failed");
            }
        };
        assertThrows(IllegalArgumentException.class, () -> failing.apply(normal(1, 2, 2)));
        assertFalse(failing.isBuilt());
        assertTrue(failing.weights().isEmpty());
    }

    @Test
    void buildingTwiceIsCaughtWithAHint() {
        Dense dense = new Dense(2);
        dense.build(-1, 3);
        var e = assertThrows(IllegalStateException.class, () -> dense.build(-1, 3));
        assertTrue(e.getMessage().startsWith("dense (Dense): a weight dense/kernel:0 already exists; was build() called twice?"),
                e.getMessage());
    }

    @Test
    void freezingMakesEveryWeightNonTrainableAndUntracked() {
        Dense dense = new Dense(2).kernelRegularizer(Regularizers.l2(0.1));
        Tensor x = normal(2, 5, 3);
        dense.apply(x);

        dense.setTrainable(false);
        assertFalse(dense.trainable());
        assertTrue(dense.trainableWeights().isEmpty());
        assertNames(List.of("dense/kernel:0 [3, 2]", "dense/bias:0 [2]"), dense.nonTrainableWeights());
        assertFalse(dense.kernel().trainable());
        assertTrue(dense.losses().isEmpty(), "a frozen layer adds no penalties");
        GradientTape tape = GradientTape.open();
        Tensor loss;
        try (tape) {
            loss = dense.apply(x, true).sum();
        }
        assertNull(loss.gradFn(), "nothing was recorded");
        assertNull(tape.gradient(loss, dense.kernel()));

        dense.setTrainable(true);
        assertEquals(dense.weights(), dense.trainableWeights());
        assertTrue(dense.kernel().trainable());
        assertEquals(1, dense.losses().size());
    }

    @Test
    void aLayerFrozenBeforeBuildCreatesFrozenWeights() {
        Dense dense = new Dense(2);
        dense.setTrainable(false);
        dense.build(-1, 3);
        assertTrue(dense.trainableWeights().isEmpty());
        assertFalse(dense.kernel().trainable());
        dense.setTrainable(true);
        assertTrue(dense.kernel().trainable());
    }

    @Test
    void countParamsNeedsABuiltLayer() {
        var e = assertThrows(IllegalStateException.class, () -> new Dense(3).countParams());
        assertEquals("dense (Dense): countParams() needs a built layer; call build(inputShape) or apply the layer to an "
                + "input first", e.getMessage());
    }

    @Test
    void float64LayersMakeFloat64Weights() {
        Dense dense = new Dense(2).dtype(DataType.DOUBLE);
        dense.apply(normal(1, 3, 4));
        assertEquals(DataType.DOUBLE, dense.kernel().dataType());
        assertEquals(DataType.DOUBLE, dense.bias().dataType());
        assertEquals("float64", dense.config().get("dtype"));
        assertThrows(IllegalArgumentException.class, () -> new Dense(1).dtype(DataType.INT));
    }

    /** A layer with an int64 counter beside its float weights, as Keras' Normalization has. */
    static class Counting extends Layer {
        final boolean trainableCounter;
        Variable counter;

        Counting(boolean trainableCounter) {
            this.trainableCounter = trainableCounter;
        }

        @Override
        public void build(long... inputShape) {
            addWeight("scale", new long[] {inputShape[inputShape.length - 1]}, Initializers.ones(), true);
            counter = addWeight("counter", new long[0], DataType.LONG, Initializers.zeros(), trainableCounter);
            super.build(inputShape);
        }

        @Override
        public Tensor call(Tensor inputs, boolean training) {
            maybeBuild(inputs);
            return inputs;
        }
    }

    @Test
    void weightsMayHaveAnotherTypeThanTheLayerWhenNotTrainable() {
        Counting layer = new Counting(false);
        layer.build(-1, 3);
        assertEquals(DataType.LONG, layer.counter.dataType());
        assertEquals(DataType.FLOAT, layer.weights().get(0).dataType());
        assertEquals(4, layer.countParams());
        assertEquals(List.of(layer.counter), layer.nonTrainableWeights());

        Counting trainable = new Counting(true);
        var e = assertThrows(IllegalArgumentException.class, () -> trainable.apply(normal(1, 2, 3)));
        assertEquals("counting_1 (Counting): weight counting_1/counter:0 of LONG cannot be trainable; trainable weights "
                + "have the layer's type FLOAT", e.getMessage());
        assertFalse(trainable.isBuilt());
        assertTrue(trainable.weights().isEmpty(), "the failed build's weights are gone");
        var random = assertThrows(IllegalArgumentException.class,
                () -> Initializers.glorotUniform().init(new long[] {2}, DataType.LONG));
        assertTrue(random.getMessage().contains("floating"), random.getMessage());
        var fraction = assertThrows(IllegalArgumentException.class,
                () -> Initializers.constant(0.5).init(new long[] {2}, DataType.INT));
        assertEquals("Initializer constant(0.5): weights need a floating data type, or an integer one for a whole value, "
                + "got INT", fraction.getMessage());
    }
}
