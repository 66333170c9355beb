package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** MultiHeadAttention: Keras' weights, masks and scores, float64 gradient checks, config, errors. */
class MultiHeadAttentionTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(13);
    }

    @Test
    void weightsFollowKerasPerHeadLayouts() {
        MultiHeadAttention mha = new MultiHeadAttention(4, 8).valueDim(6);
        Tensor y = mha.call(normal(1, 2, 3, 10), normal(2, 2, 5, 12), normal(3, 2, 5, 7));
        assertShape(new long[] {2, 3, 10}, y);
        assertNames(List.of("multi_head_attention/query/kernel:0 [10, 4, 8]", "multi_head_attention/query/bias:0 [4, 8]",
                "multi_head_attention/key/kernel:0 [7, 4, 8]", "multi_head_attention/key/bias:0 [4, 8]",
                "multi_head_attention/value/kernel:0 [12, 4, 6]", "multi_head_attention/value/bias:0 [4, 6]",
                "multi_head_attention/attention_output/kernel:0 [4, 6, 10]",
                "multi_head_attention/attention_output/bias:0 [10]"), mha.weights());
        assertEquals(10 * 32 + 32 + 7 * 32 + 32 + 12 * 24 + 24 + 24 * 10 + 10, mha.countParams());
        assertArrayEquals(new long[] {-1, 3, 10}, mha.computeOutputShape(-1, 3, 10));
        MultiHeadAttention self = new MultiHeadAttention(2, 4).outputShape(3);
        assertShape(new long[] {2, 5, 3}, self.apply(normal(4, 2, 5, 6)));
    }

    @Test
    void scoresRespectTheAttentionAndCausalMasks() {
        MultiHeadAttention mha = new MultiHeadAttention(2, 3);
        Tensor q = normal(5, 2, 4, 5);
        boolean[][][] allowed = new boolean[2][4][4];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 4; t++) {
                for (int s = 0; s < 4; s++) {
                    allowed[b][t][s] = (b + t + s) % 3 != 0 || s == 0;
                }
            }
        }
        Tensor mask = Tensor.of(Nd4j.createFromArray(allowed));
        List<Tensor> out = mha.callWithScores(q, q, null, mask, false, true);
        INDArray scores = out.get(1).array();
        assertArrayEquals(new long[] {2, 2, 4, 4}, scores.shape());
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 2; h++) {
                for (int t = 0; t < 4; t++) {
                    double rowSum = 0;
                    for (int s = 0; s < 4; s++) {
                        double p = scores.getDouble(b, h, t, s);
                        rowSum += p;
                        if (!allowed[b][t][s] || s > t) {
                            assertEquals(0.0, p, "masked score " + b + "," + h + "," + t + "," + s);
                        } else {
                            assertTrue(p > 0);
                        }
                    }
                    assertEquals(1.0, rowSum, 1e-6);
                }
            }
        }
        // causal: changing the last step changes no earlier output
        INDArray changed = q.array().dup();
        changed.get(NDArrayIndex.all(), NDArrayIndex.point(3), NDArrayIndex.all()).addi(1.0);
        Tensor before = mha.call(q, q, null, null, false, true);
        Tensor after = mha.call(Tensor.of(changed), Tensor.of(changed), null, null, false, true);
        assertTrue(before.slice(1, 0, 3).array().equalsWithEps(after.slice(1, 0, 3).array(), 1e-6));
        assertFalse(before.slice(1, 3, 4).array().equalsWithEps(after.slice(1, 3, 4).array(), 1e-3));
    }

    @Test
    void gradientsMatchCentralDifferencesInFloat64() {
        MultiHeadAttention mha = new MultiHeadAttention(2, 2).valueDim(3).outputShape(2).dtype(DataType.DOUBLE);
        Tensor query = normal64(6, 2, 3, 2);
        Tensor value = normal64(7, 2, 4, 3);
        Tensor key = normal64(8, 2, 4, 2);
        Tensor mask = Tensor.of(Nd4j.createFromArray(new boolean[][][] {
            {{true, false, true, true}, {true, true, false, false}, {false, true, true, true}},
            {{true, true, true, true}, {false, false, true, false}, {true, true, false, true}}}));
        Tensor projection = normal64(9, 2, 3, 2);
        double inputError = GradientCheck.check(in -> mha.call(in.get(0), in.get(1), in.get(2), mask, false, true),
                List.of(query, value, key));
        assertTrue(inputError < GRADIENT_BOUND, "inputs: " + inputError);
        double weightError = GradientCheck.checkVariables(
                () -> mha.call(query, value, key, mask, false, false).mul(projection).sum(), mha.weights());
        assertTrue(weightError < GRADIENT_BOUND, "weights: " + weightError);
    }

    @Test
    void dropoutDropsProbabilitiesOnlyWhileTraining() {
        MultiHeadAttention mha = new MultiHeadAttention(2, 3).dropout(0.5, 3L);
        Tensor q = normal(10, 2, 4, 5);
        Tensor inference = mha.call(q, q, null, null, false);
        assertTrue(inference.array().equalsWithEps(mha.call(q, q, null, null, false).array(), 0));
        assertFalse(inference.array().equalsWithEps(mha.call(q, q, null, null, true).array(), 1e-3));
    }

    @Test
    void configRoundTripsWithKerasKeys() {
        MultiHeadAttention mha = new MultiHeadAttention(3, 4).valueDim(5).outputShape(7).useBias(false);
        Map<String, Object> config = mha.config();
        for (String key : List.of("num_heads", "key_dim", "value_dim", "dropout", "use_bias", "output_shape",
                "attention_axes", "kernel_initializer", "bias_initializer")) {
            assertTrue(config.containsKey(key), key);
        }
        assertEquals(config, Layers.fromConfig("MultiHeadAttention", config).config());
        MultiHeadAttention keras = (MultiHeadAttention) Layers.fromConfig("MultiHeadAttention",
                Map.of("num_heads", 2, "key_dim", 3, "output_shape", List.of(4)));
        assertEquals(3, keras.valueDim());
        assertShape(new long[] {1, 2, 4}, keras.call(normal(11, 1, 2, 6), normal(12, 1, 3, 6)));
    }

    @Test
    void badInputFailsWithTheLayerAndTheShapes() {
        MultiHeadAttention mha = new MultiHeadAttention(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mha.call(normal(1, 2, 3, 4), normal(2, 2, 5, 4), normal(3, 2, 6, 4)));
        assertTrue(e.getMessage().startsWith("multi_head_attention (MultiHeadAttention): value and key must have the same"),
                e.getMessage());
        assertFalse(mha.isBuilt());
        mha.call(normal(1, 2, 3, 4), normal(2, 2, 5, 4));
        e = assertThrows(IllegalArgumentException.class,
                () -> mha.call(normal(1, 2, 3, 4), normal(2, 2, 5, 4), null, Tensor.of(Nd4j.ones(DataType.BOOL, 2, 5, 3))));
        assertEquals("multi_head_attention (MultiHeadAttention): attention_mask must have shape [batch, T, S] = [2, 3, 5], "
                + "got [2, 5, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mha.call(normal(1, 2, 3, 6), normal(2, 2, 5, 4)));
        assertTrue(e.getMessage().contains("query last dimension must be 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> mha.call(normal(1, 2, 3), normal(2, 2, 5, 4)));
        assertTrue(e.getMessage().contains("[batch, steps, features]"), e.getMessage());
    }
}
