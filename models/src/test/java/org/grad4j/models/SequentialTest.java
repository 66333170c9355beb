package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.Seeds;
import org.grad4j.core.Variable;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Building a Sequential: layers, names and shapes of its variables, add / pop / build. */
class SequentialTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(11);
    }

    private static String described(List<Variable> variables) {
        return String.join("; ", variables.stream().map(v -> v.name() + " " + java.util.Arrays.toString(v.shape())).toList());
    }

    @Test
    void variablesAreNamedAsTheSeedListsThem() {
        Sequential first = new Sequential(new InputLayer(9), new Dense(64, "relu"), new Dense(64, "relu"), new Dense(1));
        assertEquals("dense/kernel:0 [9, 64]; dense/bias:0 [64]; dense_1/kernel:0 [64, 64]; dense_1/bias:0 [64]; "
                + "dense_2/kernel:0 [64, 1]; dense_2/bias:0 [1]", described(first.trainableVariables()));

        // a fourth Dense in the session is dense_3, as in the seed's listing
        Sequential second = new Sequential(new InputLayer(9), new Dense(64, "relu"));
        assertEquals("dense_3/kernel:0 [9, 64]; dense_3/bias:0 [64]", described(second.trainableVariables()));
        assertEquals(List.of(), second.nonTrainableVariables());
        assertEquals(second.trainableVariables(), second.variables());
    }

    @Test
    void batchNormalizationStatisticsAreNonTrainable() {
        Sequential model = new Sequential(new InputLayer(4), new Dense(3), new BatchNormalization(), new Dense(1));
        assertEquals("dense/kernel:0 [4, 3]; dense/bias:0 [3]; batch_normalization/gamma:0 [3]; "
                + "batch_normalization/beta:0 [3]; dense_1/kernel:0 [3, 1]; dense_1/bias:0 [1]",
                described(model.trainableVariables()));
        assertEquals("batch_normalization/moving_mean:0 [3]; batch_normalization/moving_variance:0 [3]",
                described(model.nonTrainableVariables()));
        // variables(): layer by layer, each layer's trainable weights before its others (Keras' order)
        assertEquals("dense/kernel:0 [4, 3]; dense/bias:0 [3]; batch_normalization/gamma:0 [3]; "
                + "batch_normalization/beta:0 [3]; batch_normalization/moving_mean:0 [3]; "
                + "batch_normalization/moving_variance:0 [3]; dense_1/kernel:0 [3, 1]; dense_1/bias:0 [1]",
                described(model.variables()));
        assertEquals(4 * 3 + 3 + 4 * 3 + 3 + 1, model.countParams());
    }

    @Test
    void frozenLayerMovesItsWeightsToNonTrainable() {
        Sequential model = new Sequential(new InputLayer(2), new Dense(3), new Dense(1));
        model.getLayer("dense").setTrainable(false);
        assertEquals("dense_1/kernel:0 [3, 1]; dense_1/bias:0 [1]", described(model.trainableVariables()));
        assertEquals("dense/kernel:0 [2, 3]; dense/bias:0 [3]", described(model.nonTrainableVariables()));
        model.getLayer("dense").setTrainable(true);
        assertEquals(4, model.trainableVariables().size());

        model.setTrainable(false);
        assertEquals(List.of(), model.trainableVariables());
        assertEquals(4, model.nonTrainableVariables().size());
    }

    @Test
    void layersExcludeTheInputLayerAndGetLayerFindsByNameAndIndex() {
        InputLayer input = new InputLayer(9);
        Dense a = new Dense(4);
        Dense b = new Dense(2);
        Sequential model = new Sequential(input, a, b);
        assertEquals(List.of(a, b), model.layers());
        assertSame(input, model.inputLayer());
        assertSame(b, model.getLayer("dense_1"));
        assertSame(a, model.getLayer(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.getLayer("dense_7"));
        assertTrue(e.getMessage().contains("dense_7") && e.getMessage().contains("dense, dense_1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.getLayer(2));
    }

    @Test
    void inputLayerBuildsAtOnce() {
        Sequential model = new Sequential(new InputLayer(9), new Dense(4));
        assertTrue(model.isBuilt());
        assertArrayEquals(new long[] {-1, 4}, model.outputShape());
        assertArrayEquals(new long[] {9, 4}, model.getLayer(0).weights().get(0).shape());
    }

    @Test
    void buildTakesThePerSampleShape() {
        Sequential model = new Sequential(new Dense(5, "relu"), new Dense(2));
        assertFalse(model.isBuilt());
        assertEquals(List.of(), model.variables());
        model.build(7);
        assertTrue(model.isBuilt());
        assertArrayEquals(new long[] {-1, 7}, model.buildInputShape());
        assertEquals("dense/kernel:0 [7, 5]; dense/bias:0 [5]; dense_1/kernel:0 [5, 2]; dense_1/bias:0 [2]",
                described(model.variables()));
        assertArrayEquals(new long[] {-1, 2}, model.outputShape());
        assertArrayEquals(new long[] {3, 2}, model.predict(Nd4j.ones(DataType.FLOAT, 3, 7)).shape());
    }

    @Test
    void firstCallBuildsAnUnbuiltModel() {
        Sequential model = new Sequential(new Dense(3));
        model.predict(Nd4j.ones(DataType.FLOAT, 2, 6));
        assertTrue(model.isBuilt());
        assertArrayEquals(new long[] {6, 3}, model.trainableVariables().get(0).shape());
    }

    @Test
    void addToABuiltModelBuildsTheNewLayer() {
        Sequential model = new Sequential(new InputLayer(3), new Dense(4));
        Dense added = new Dense(2);
        assertSame(model, model.add(added));
        assertTrue(added.isBuilt());
        assertArrayEquals(new long[] {4, 2}, added.weights().get(0).shape());
        assertArrayEquals(new long[] {-1, 2}, model.outputShape());
        assertEquals(4, model.trainableVariables().size());
    }

    @Test
    void addRejectsADuplicateOrAMisplacedInputLayer() {
        Dense d = new Dense(2);
        Sequential model = new Sequential(new InputLayer(3), d);
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class, () -> model.add(d));
        assertTrue(again.getMessage().contains("already"), again.getMessage());
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class, () -> model.add(new InputLayer(2)));
        assertTrue(input.getMessage().contains("InputLayer can only come first"), input.getMessage());
        assertEquals(List.of(d), model.layers());
    }

    @Test
    void addOfAMismatchedBuiltLayerChangesNothing() {
        Sequential model = new Sequential(new InputLayer(3), new Dense(4));
        Dense builtForFive = new Dense(2);
        builtForFive.build(-1, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.add(builtForFive));
        assertTrue(e.getMessage().contains("dense_1"), e.getMessage());
        assertEquals(1, model.layers().size());
        assertArrayEquals(new long[] {-1, 4}, model.outputShape());
    }

    @Test
    void popRemovesTheLastLayerAndItsWeights() {
        Dense a = new Dense(4);
        Dense b = new Dense(1);
        Sequential model = new Sequential(new InputLayer(3), a, b);
        assertSame(b, model.pop());
        assertEquals(List.of(a), model.layers());
        assertEquals("dense/kernel:0 [3, 4]; dense/bias:0 [4]", described(model.variables()));
        assertArrayEquals(new long[] {-1, 4}, model.outputShape());
        assertSame(a, model.pop());
        IllegalStateException e = assertThrows(IllegalStateException.class, model::pop);
        assertTrue(e.getMessage().contains("no layers"), e.getMessage());
    }

    @Test
    void buildOfAnEmptyModelFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Sequential().build(3));
        assertTrue(e.getMessage().contains("no layers"), e.getMessage());
    }

    @Test
    void buildWithoutAShapeFails() {
        Sequential model = new Sequential(new Dense(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, model::build);
        assertTrue(e.getMessage().contains("input shape"), e.getMessage());
        assertFalse(model.isBuilt());
    }

    @Test
    void getAndSetWeightsRoundTripAndCheckShapesFirst() {
        Sequential model = new Sequential(new InputLayer(2), new Dense(2), new Dense(1));
        List<org.nd4j.linalg.api.ndarray.INDArray> saved = model.getWeights();
        model.variables().get(0).assign(Nd4j.zeros(DataType.FLOAT, 2, 2));
        model.setWeights(saved);
        assertEquals(saved, model.getWeights());

        List<org.nd4j.linalg.api.ndarray.INDArray> wrong = new java.util.ArrayList<>(saved);
        wrong.set(0, Nd4j.zeros(DataType.FLOAT, 9));
        wrong.set(3, Nd4j.zeros(DataType.FLOAT, 1));
        assertThrows(IllegalArgumentException.class, () -> model.setWeights(wrong));
        assertEquals(saved, model.getWeights());
        assertThrows(IllegalArgumentException.class, () -> model.setWeights(saved.subList(0, 3)));
    }

    @Test
    void aModelIsNotCompiledUntilCompileAndCompileReturnsIt() {
        Sequential model = new Sequential(new Dense(1));
        assertFalse(model.isCompiled());
        assertNull(model.history());
        assertSame(model, model.compile("sgd", "mse"));
        assertTrue(model.isCompiled());
    }
}
