package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class CategoryEncodingTest {
    /** Keras' docstring input for multi_hot and count. */
    private static final Tensor SAMPLES = Tensor.of(Nd4j.createFromArray(new int[][] {{0, 1}, {0, 0}, {1, 2}, {3, 1}}));

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void kerasExampleOneHot() {
        CategoryEncoding layer = new CategoryEncoding(4, "one_hot");
        Tensor y = layer.apply(Tensor.of(Nd4j.createFromArray(3, 2, 0, 1)));
        assertArrayEquals(new long[] {4, 4}, y.shape());
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0}, y.toFloatArray());
        assertEquals(DataType.FLOAT, y.dataType());
    }

    @Test
    void kerasExampleMultiHot() {
        Tensor y = new CategoryEncoding(4, "multi_hot").apply(SAMPLES);
        assertArrayEquals(new long[] {4, 4}, y.shape());
        assertArrayEquals(new float[] {1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1}, y.toFloatArray());
        assertArrayEquals(y.toFloatArray(), new CategoryEncoding(4).apply(SAMPLES).toFloatArray(), "multi_hot is the default");
    }

    @Test
    void countCountsRepeatedIds() {
        // Keras' docstring sample without count_weights: each weight 1
        Tensor y = new CategoryEncoding(4, "count").apply(SAMPLES);
        assertArrayEquals(new float[] {1, 1, 0, 0, 2, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1}, y.toFloatArray());
    }

    @Test
    void kerasExampleCountWeights() {
        Tensor weights = Tensor.of(new float[] {.1f, .2f, .1f, .1f, .2f, .3f, .4f, .2f}, 4, 2);
        Tensor y = new CategoryEncoding(4, "count").call(SAMPLES, weights);
        assertArrayEquals(new long[] {4, 4}, y.shape());
        assertArrayEquals(new float[] {.1f, .2f, 0, 0, .2f, 0, 0, 0, 0, .2f, .3f, 0, 0, .2f, 0, .4f}, y.toFloatArray(), 1e-7f);

        Tensor one = new CategoryEncoding(3, "count").call(Tensor.of(Nd4j.createFromArray(2, 0, 2)),
                Tensor.of(new float[] {0.5f, 2, 0.25f}, 3));
        assertArrayEquals(new float[] {2, 0, 0.75f}, one.toFloatArray());
    }

    @Test
    void countWeightsPassTheGradientCheck() {
        CategoryEncoding layer = new CategoryEncoding(4, "count").dtype(DataType.DOUBLE);
        Tensor weights = Tensor.of(new double[] {.1, .2, .1, .1, .2, .3, .4, .2}, DataType.DOUBLE, 4, 2);
        double error = GradientCheck.check(in -> layer.call(SAMPLES, in.get(0)), List.of(weights));
        assertTrue(error < LayerTesting.GRADIENT_BOUND, "count weights: " + error);
    }

    @Test
    void countWeightsAreCheckedFirst() {
        var mode = assertThrows(IllegalArgumentException.class,
                () -> new CategoryEncoding(4, "one_hot").call(SAMPLES, Tensor.ones(4, 2)));
        assertEquals("category_encoding (CategoryEncoding): countWeights are used only in \"count\" mode, not \"one_hot\"",
                mode.getMessage());
        var shape = assertThrows(IllegalArgumentException.class,
                () -> new CategoryEncoding(4, "count").call(SAMPLES, Tensor.ones(4, 3)));
        assertEquals("category_encoding_1 (CategoryEncoding): countWeights must have the ids' shape [4, 2] and the layer's "
                + "type FLOAT, got FLOAT [4, 3]", shape.getMessage());
    }

    @Test
    void shapesFollowKeras() {
        Tensor column = Tensor.of(Nd4j.createFromArray(new long[][] {{2}, {0}, {1}}));
        CategoryEncoding oneHot = new CategoryEncoding(3, "one_hot");
        Tensor y = oneHot.apply(column);
        assertArrayEquals(new long[] {3, 3}, y.shape(), "[b, 1] is encoded on its last axis");
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, y.toFloatArray());
        assertArrayEquals(new long[] {-1, 3}, oneHot.computeOutputShape(-1, 1));

        Tensor pairs = oneHot.apply(Tensor.of(Nd4j.createFromArray(new int[][] {{0, 2}, {1, 1}})));
        assertArrayEquals(new long[] {2, 2, 3}, pairs.shape(), "[b, n] gains an axis");
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0}, pairs.toFloatArray());
        assertArrayEquals(new long[] {-1, 2, 3}, oneHot.computeOutputShape(-1, 2));
        assertArrayEquals(new long[] {1, 3}, oneHot.computeOutputShape(1));

        Tensor ids = Tensor.of(Nd4j.createFromArray(2, 0, 2, 2));
        CategoryEncoding count = new CategoryEncoding(3, "count");
        Tensor sample = count.apply(ids);
        assertArrayEquals(new long[] {3}, sample.shape(), "a rank-1 input is one sample");
        assertArrayEquals(new float[] {1, 0, 3}, sample.toFloatArray());
        assertArrayEquals(new float[] {1, 0, 1}, new CategoryEncoding(3).apply(ids).toFloatArray());
        assertArrayEquals(new long[] {3}, count.computeOutputShape(4));
        assertArrayEquals(new long[] {-1, 3}, count.computeOutputShape(-1, 7));
        assertEquals(0, count.countParams());
        assertTrue(count.weights().isEmpty());
    }

    @Test
    void idsMayBeFloatsOrWideIntegersAndTheOutputTakesTheLayersType() {
        Tensor floats = Tensor.of(new float[] {1, 0, 1}, 3, 1);
        Tensor y = new CategoryEncoding(2, "one_hot").dtype(DataType.DOUBLE).apply(floats);
        assertEquals(DataType.DOUBLE, y.dataType());
        assertArrayEquals(new double[] {0, 1, 1, 0, 0, 1}, y.toDoubleArray());

        // 2^24 + 1 has no float32: ids are read as they come, not cast to the layer's type first
        int big = (1 << 24) + 1;
        Tensor wide = Tensor.of(Nd4j.createFromArray((long) big));
        float[] encoded = new CategoryEncoding(big + 1, "count").apply(wide).toFloatArray();
        assertEquals(1f, encoded[big]);
        assertEquals(0f, encoded[big - 1]);
    }

    @Test
    void theOutputIsNotDifferentiableWithRespectToTheIds() {
        Tensor ids = Tensor.of(new float[] {0, 2, 1}, 3, 1);
        GradientTape tape = GradientTape.open();
        Tensor y;
        try (tape) {
            tape.watch(ids);
            y = new CategoryEncoding(3, "one_hot").apply(ids).mul(2.0).sum();
        }
        assertNull(tape.gradient(y, ids), "unconnected, as TensorFlow's gradient through one_hot is None");
    }

    @Test
    void idsOutsideTheRangeAreNamed() {
        CategoryEncoding layer = new CategoryEncoding(4, "multi_hot");
        var high = assertThrows(IllegalArgumentException.class,
                () -> layer.apply(Tensor.of(Nd4j.createFromArray(new int[][] {{0, 1}, {4, 2}}))));
        assertEquals("category_encoding (CategoryEncoding): id 4 (at index 2 of an input of shape [2, 2]) is outside "
                + "[0, numTokens) with numTokens = 4", high.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> layer.apply(Tensor.of(Nd4j.createFromArray(-1))));
        assertTrue(negative.getMessage().contains("id -1 (at index 0"), negative.getMessage());
        var fraction = assertThrows(IllegalArgumentException.class, () -> layer.apply(Tensor.of(new float[] {1.5f}, 1)));
        assertEquals("category_encoding (CategoryEncoding): ids must be whole numbers, got 1.5 at index 0 of an input "
                + "of shape [1]", fraction.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> layer.apply(Tensor.zeros(2, 2, 2)));
        assertEquals("category_encoding (CategoryEncoding): input must have rank in [1, 2], got shape [2, 2, 2]",
                rank.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        var mode = assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(3, "tf_idf"));
        assertEquals("CategoryEncoding: unknown output mode \"tf_idf\" (known: one_hot, multi_hot, count)", mode.getMessage());
        var tokens = assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(0));
        assertEquals("CategoryEncoding: numTokens must be >= 1, got 0", tokens.getMessage());
        assertEquals("category_encoding", new CategoryEncoding(2).name(), "failed constructions use no name");
        assertEquals("multi_hot", new CategoryEncoding(2, "binary").outputMode(), "Keras' deprecated name");
    }

    @Test
    void configHasKerasKeysAndRoundTrips() {
        Map<String, Object> config = new CategoryEncoding(5, "one_hot").config();
        assertEquals(List.of("name", "trainable", "dtype", "num_tokens", "output_mode"), List.copyOf(config.keySet()));
        assertEquals(5, config.get("num_tokens"));
        CategoryEncoding back = (CategoryEncoding) Layers.fromConfig("CategoryEncoding", config);
        assertEquals(5, back.numTokens());
        assertEquals("one_hot", back.outputMode());
        CategoryEncoding defaults = (CategoryEncoding) Layers.fromConfig("CategoryEncoding", Map.of("num_tokens", 2));
        assertEquals("multi_hot", defaults.outputMode());
        var sparse = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("CategoryEncoding", Map.of("num_tokens", 2, "sparse", true)));
        assertEquals("CategoryEncoding.fromConfig: sparse outputs are not supported", sparse.getMessage());
    }
}
