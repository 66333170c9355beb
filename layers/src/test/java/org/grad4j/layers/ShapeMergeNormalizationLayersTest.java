package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Reshape, the merges, LayerNormalization and Embedding: contracts, float64 gradient checks, configs and errors. */
class ShapeMergeNormalizationLayersTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    private static void assertError(double error, String what) {
        assertTrue(error < GRADIENT_BOUND, what + ": gradient error " + error);
    }

    private static void roundTrip(Layer layer) {
        assertEquals(layer.config(), Layers.fromConfig(layer.className(), layer.config()).config(), layer.describe());
    }

    @Test
    void reshapeInfersMinusOneAndKeepsRowMajorOrder() {
        Reshape reshape = new Reshape(7, -1, 4);
        Tensor x = Tensor.of(Nd4j.arange(2 * 7 * 8).castTo(DataType.FLOAT).reshape(2, 56));
        Tensor y = reshape.apply(x);
        assertShape(new long[] {2, 7, 2, 4}, y);
        assertArrayEquals(x.toFloatArray(), y.toFloatArray());
        assertArrayEquals(new long[] {-1, 7, 2, 4}, reshape.computeOutputShape(-1, 56));
        assertEquals(List.of(7L, -1L, 4L), reshape.config().get("target_shape"));
        roundTrip(reshape);
        assertError(GradientCheck.check(in -> new Reshape(4, 3).call(in.get(0), true), List.of(normal64(1, 2, 3, 4))), "Reshape");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Reshape(5, 5).apply(x));
        assertTrue(e.getMessage().contains("(Reshape)") && e.getMessage().contains("[2, 56]"), e.getMessage());
    }

    @Test
    void mergesComputeAndDifferentiateEveryInput() {
        Tensor a = normal64(2, 2, 3);
        Tensor b = normal64(3, 2, 3);
        Tensor c = normal64(4, 1, 3);   // broadcasts over the batch
        List<Merge> merges = List.of(new Add(), new Subtract(), new Multiply(), new Average(), new Maximum());
        for (Merge merge : merges) {
            List<Tensor> inputs = merge instanceof Subtract ? List.of(a, b) : List.of(a, b, c);
            assertShape(new long[] {2, 3}, merge.apply(inputs));
            assertError(GradientCheck.check(in -> merge.call(in, true), inputs), merge.describe());
            roundTrip(merge);
        }
        double[] av = a.toDoubleArray();
        double[] bv = b.toDoubleArray();
        double[] cv = c.toDoubleArray();
        double[] mean = new Average().apply(List.of(a, b, c)).toDoubleArray();
        assertEquals((av[4] + bv[4] + cv[1]) / 3, mean[4], 1e-12);
        assertArrayEquals(new long[] {-1, 3}, new Add().computeOutputShape(List.of(new long[] {-1, 3}, new long[] {1, 3})));
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> new Add().apply(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4))));
        assertTrue(shapes.getMessage().contains("add_2 (Add)") && shapes.getMessage().contains("[[2, 3], [2, 4]]"),
                shapes.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> new Subtract().apply(List.of(a, b, c)));
        assertTrue(count.getMessage().contains("exactly 2"), count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Add().apply(a));
    }

    @Test
    void concatenateJoinsAlongTheAxisAndChecksTheOthers() {
        Concatenate concat = new Concatenate(1);
        Tensor y = concat.apply(List.of(normal64(5, 2, 3, 4), normal64(6, 2, 1, 4)));
        assertShape(new long[] {2, 4, 4}, y);
        assertArrayEquals(new long[] {-1, 4, 4}, concat.computeOutputShape(List.of(new long[] {-1, 3, 4}, new long[] {-1, 1, 4})));
        assertError(GradientCheck.check(in -> new Concatenate().call(in, true),
                List.of(normal64(7, 2, 3, 2), normal64(8, 2, 3, 5))), "Concatenate");
        assertEquals(1, concat.config().get("axis"));
        roundTrip(concat);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Concatenate(-1).apply(List.of(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 5, 4))));
        assertTrue(e.getMessage().contains("(Concatenate)") && e.getMessage().contains("[[2, 3, 4], [2, 5, 4]]")
                && e.getMessage().contains("axis -1"), e.getMessage());
    }

    @Test
    void layerNormalizationAsKeras() {
        LayerNormalization norm = new LayerNormalization();
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 10, 10, 10, 14}, 2, 4);
        Tensor y = norm.apply(x);
        assertNames(List.of("layer_normalization/gamma:0 [4]", "layer_normalization/beta:0 [4]"), norm.weights());
        // row 1: mean 2.5, biased variance 1.25, epsilon 1e-3
        assertEquals((1 - 2.5) / Math.sqrt(1.25 + 1e-3), y.toFloatArray()[0], 1e-6);
        assertEquals(List.of(1), norm.config().get("axis"));
        assertEquals(1e-3, norm.config().get("epsilon"));
        assertEquals(-1, new LayerNormalization().config().get("axis"));
        roundTrip(new LayerNormalization(-2, -1).epsilon(1e-5).center(false));
        LayerNormalization twoAxes = new LayerNormalization(-2, -1).dtype(DataType.DOUBLE);
        Tensor x64 = normal64(9, 2, 3, 4);
        twoAxes.apply(x64);
        assertNames(List.of("layer_normalization_3/gamma:0 [3, 4]", "layer_normalization_3/beta:0 [3, 4]"), twoAxes.weights());
        // weights away from their initial ones and zeros, so every path of the gradient counts
        twoAxes.weights().get(0).assign(normal64(10, 3, 4).array());
        twoAxes.weights().get(1).assign(normal64(11, 3, 4).array());
        assertError(GradientCheck.check(in -> twoAxes.call(in.get(0), true), List.of(x64)), "LayerNormalization input");
        assertError(GradientCheck.checkVariables(() -> twoAxes.call(x64, true).square().sum(), twoAxes.trainableWeights()),
                "LayerNormalization weights");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LayerNormalization(3).apply(x));
        assertTrue(e.getMessage().contains("out of range") && e.getMessage().contains("[2, 4]"), e.getMessage());
    }

    @Test
    void embeddingLooksUpIntIdsAndMasksZero() {
        Embedding embedding = new Embedding(10, 4).maskZero(true);
        Tensor ids = Tensor.of(Nd4j.createFromArray(new int[][] {{0, 3, 3}, {9, 1, 0}}));
        Tensor y = embedding.call(ids, false);
        assertShape(new long[] {2, 3, 4}, y);
        assertNames(List.of("embedding/embeddings:0 [10, 4]"), embedding.weights());
        float[] table = embedding.embeddings().toFloatArray();
        assertEquals(table[9 * 4 + 2], y.toFloatArray()[3 * 4 + 2], 0f);
        for (float v : table) {
            assertTrue(Math.abs(v) <= 0.05f, "uniform(-0.05, 0.05) initial value " + v);
        }
        Tensor mask = embedding.computeMask(ids);
        assertEquals(DataType.BOOL, mask.dataType());
        assertArrayEquals(new float[] {0, 1, 1, 1, 1, 0}, mask.castTo(DataType.FLOAT).toFloatArray());
        assertNull(new Embedding(3, 2).computeMask(ids));
        assertArrayEquals(new long[] {-1, 3, 4}, embedding.computeOutputShape(-1, 3));
        assertEquals(true, embedding.config().get("mask_zero"));
        roundTrip(embedding);
        // float ids of whole numbers are cast, as Keras does
        assertArrayEquals(y.toFloatArray(), embedding.apply(ids.castTo(DataType.FLOAT)).toFloatArray());
        Embedding e64 = new Embedding(6, 3).dtype(DataType.DOUBLE);
        Tensor small = Tensor.of(Nd4j.createFromArray(new int[] {1, 5, 1, 2}));
        e64.call(small, false);
        assertError(GradientCheck.checkVariables(() -> e64.call(small, true).square().sum(), e64.trainableWeights()), "Embedding");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> embedding.call(Tensor.of(Nd4j.createFromArray(new int[] {2, 10})), false));
        assertTrue(e.getMessage().contains("embedding (Embedding)") && e.getMessage().contains("[0, 10)"), e.getMessage());
        Layer fromKeras = Layers.fromConfig("Embedding", Map.of("input_dim", 5, "output_dim", 2, "mask_zero", false));
        assertShape(new long[] {4, 2}, fromKeras.apply(Tensor.of(Nd4j.createFromArray(new int[] {0, 1, 2, 4}))));
    }
}
