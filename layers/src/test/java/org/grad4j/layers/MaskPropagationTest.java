package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.normal;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Keras 3's mask propagation through {@link Layer#apply}: which layers read, pass on, combine or drop a mask. */
class MaskPropagationTest {

    private static Tensor ids() {
        return Tensor.of(Nd4j.createFromArray(new float[][] {{4, 2, 7, 0, 0}, {1, 0, 3, 5, 0}}));
    }

    private static Tensor bool(boolean[][] values) {
        return Tensor.of(Nd4j.createFromArray(values));
    }

    private static float[] floats(Tensor mask) {
        return mask.castTo(DataType.FLOAT).toFloatArray();
    }

    @Test
    void anEmbeddingMaskReachesALstmThroughApply() {
        Embedding embedding = new Embedding(8, 3).maskZero(true);
        LSTM lstm = new LSTM(4);
        Tensor embedded = embedding.apply(ids());
        Tensor mask = Masks.of(embedded);
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 1, 0, 1, 1, 0}, floats(mask));
        Tensor viaApply = lstm.apply(embedded);
        Tensor direct = lstm.call(Tensor.of(embedded.array()), mask, false);
        assertArrayEquals(direct.toFloatArray(), viaApply.toFloatArray(), 0f);
        assertFalse(java.util.Arrays.equals(lstm.call(Tensor.of(embedded.array()), false).toFloatArray(),
                viaApply.toFloatArray()), "the mask changes the output");
        assertNull(Masks.of(viaApply), "a last output carries no mask");
        LSTM sequences = new LSTM(4).returnSequences(true);
        assertSame(mask, Masks.of(sequences.apply(embedded)), "a returned sequence keeps the input's mask");
        assertNull(Masks.of(new Embedding(8, 3).apply(ids())), "no mask without maskZero");
    }

    @Test
    void passThroughLayersKeepTheMaskAndOthersDropIt() {
        Tensor x = normal(1, 2, 5, 3);
        Tensor mask = bool(new boolean[][] {{true, true, false, false, false}, {true, true, true, true, false}});
        Masks.attach(x, mask);
        for (Layer layer : List.<Layer>of(new Dense(2), new Dropout(0.5), new Activation("relu"), new LayerNormalization(),
                new BatchNormalization(), new Rescaling(2.0), new Normalization(new double[] {1, 2, 3}, new double[] {1, 4, 9}))) {
            assertSame(mask, Masks.of(layer.apply(x)), layer.describe());
        }
        // Keras 3 drops the mask at a layer that does not support masking (with a warning)
        assertNull(Masks.of(new Flatten().apply(x)));
        assertNull(Masks.of(new GlobalMaxPooling1D().apply(x)));
        assertNull(Masks.of(new Permute(2, 1).apply(x)));
    }

    @Test
    void batchNormalizationTrainsOnTheMomentsOfTheRealStepsOnly() {
        Tensor x = normal(2, 2, 5, 3);
        boolean[][] real = {{true, true, false, false, false}, {true, true, true, true, false}};
        BatchNormalization masked = new BatchNormalization().name("bn_masked");
        Tensor out = masked.apply(Masks.attach(Tensor.of(x.array()), bool(real)), true);
        // the same statistics as a batch of just the 6 real steps
        INDArray rows = Nd4j.create(DataType.FLOAT, 6, 3);
        int r = 0;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 5; t++) {
                if (real[b][t]) {
                    rows.putRow(r++, x.array().get(NDArrayIndex.point(b), NDArrayIndex.point(t), NDArrayIndex.all()));
                }
            }
        }
        BatchNormalization plain = new BatchNormalization();
        INDArray expected = plain.apply(Tensor.of(rows), true).array();
        r = 0;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 5; t++) {
                if (real[b][t]) {
                    INDArray got = out.array().get(NDArrayIndex.point(b), NDArrayIndex.point(t), NDArrayIndex.all());
                    assertArrayEquals(expected.getRow(r++).toFloatVector(), got.toFloatVector(), 1e-5f);
                }
            }
        }
        assertArrayEquals(plain.weights().get(2).toFloatArray(), masked.weights().get(2).toFloatArray(), 1e-6f);
        assertArrayEquals(plain.weights().get(3).toFloatArray(), masked.weights().get(3).toFloatArray(), 1e-6f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> masked.call(x, bool(new boolean[][] {{true, false}}), true));
        assertTrue(e.getMessage().contains("bn_masked (BatchNormalization)") && e.getMessage().contains("[2, 5]"),
                e.getMessage());
    }

    @Test
    void maskedBatchNormalizationGradientsMatchCentralDifferencesInFloat64() {
        BatchNormalization bn = new BatchNormalization().dtype(DataType.DOUBLE);
        Tensor mask = bool(new boolean[][] {{true, true, false, false}, {false, true, true, true}});
        Tensor x = normal64(13, 2, 4, 3);
        Tensor target = normal64(14, 2, 4, 3);
        double inputError = GradientCheck.check(in -> bn.call(in.get(0), mask, true).mul(target), List.of(x));
        assertTrue(inputError < GRADIENT_BOUND, "input: " + inputError);
        double weightError = GradientCheck.checkVariables(() -> bn.call(x, mask, true).mul(target).sum(),
                bn.trainableWeights());
        assertTrue(weightError < GRADIENT_BOUND, "weights: " + weightError);
    }

    @Test
    void globalAveragePooling1DAveragesTheRealStepsOnly() {
        Tensor x = normal(3, 2, 5, 3);
        Tensor mask = bool(new boolean[][] {{true, true, false, false, false}, {true, false, true, true, false}});
        GlobalAveragePooling1D pool = new GlobalAveragePooling1D();
        Tensor out = pool.apply(Masks.attach(x, mask));
        float[] v = x.toFloatArray();
        float[] expected = new float[6];
        int[][] real = {{0, 1}, {0, 2, 3}};
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                for (int t : real[b]) {
                    sum += v[b * 15 + t * 3 + c];
                }
                expected[b * 3 + c] = (float) (sum / real[b].length);
            }
        }
        assertArrayEquals(expected, out.toFloatArray(), 1e-6f);
        assertNull(Masks.of(out), "the steps are pooled away with their mask");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.call(x, bool(new boolean[][] {{true, false}}), false));
        assertTrue(e.getMessage().contains(pool.describe()) && e.getMessage().contains("[2, 5]"), e.getMessage());
    }

    @Test
    void maskedGlobalAveragePoolingGradientsMatchCentralDifferencesInFloat64() {
        GlobalAveragePooling1D pool = new GlobalAveragePooling1D();
        Tensor mask = bool(new boolean[][] {{true, true, false, false}, {false, true, true, true}});
        double error = GradientCheck.check(in -> pool.call(in.get(0), mask, false).square(), List.of(normal64(4, 2, 4, 3)));
        assertTrue(error < GRADIENT_BOUND, "input: " + error);
    }

    @Test
    void mergesCombineMasksAsKeras() {
        Tensor a = Masks.attach(normal(5, 2, 3, 2), bool(new boolean[][] {{true, true, false}, {true, false, true}}));
        Tensor b = Masks.attach(normal(6, 2, 3, 2), bool(new boolean[][] {{true, false, false}, {true, true, true}}));
        Tensor plain = normal(7, 2, 3, 2);
        // element-wise merges: AND of the masks there are
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 1}, floats(Masks.of(new Add().apply(List.of(a, b)))));
        assertArrayEquals(new float[] {1, 1, 0, 1, 0, 1}, floats(Masks.of(new Multiply().apply(List.of(a, plain)))));
        assertNull(Masks.of(new Add().apply(List.of(plain, normal(8, 2, 3, 2)))));
        // Concatenate along the features: ANY over the joined masks (an unmasked input counts as all real)
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 1}, floats(Masks.of(new Concatenate().apply(List.of(a, b)))));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, floats(Masks.of(new Concatenate().apply(List.of(a, plain)))));
    }

    @Test
    void multiHeadAttentionBuildsItsMaskFromQueryAndValueMasks() {
        MultiHeadAttention mha = new MultiHeadAttention(2, 3);
        Tensor q = normal(9, 2, 3, 4);
        Tensor v = normal(10, 2, 4, 4);
        boolean[][] qm = {{true, true, false}, {true, true, true}};
        boolean[][] vm = {{true, false, true, false}, {true, true, true, false}};
        boolean[][][] explicit = new boolean[2][3][4];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                for (int s = 0; s < 4; s++) {
                    explicit[b][t][s] = qm[b][t] && vm[b][s];
                }
            }
        }
        Tensor expected = mha.call(q, v, null, Tensor.of(Nd4j.createFromArray(explicit)), false, true);
        Tensor qMasked = Masks.attach(Tensor.of(q.array()), bool(qm));
        Tensor vMasked = Masks.attach(Tensor.of(v.array()), bool(vm));
        Tensor out = mha.call(qMasked, vMasked, null, null, false, true);
        assertArrayEquals(expected.toFloatArray(), out.toFloatArray(), 0f);
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 1}, floats(Masks.of(out)), "the output keeps the query's mask");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mha.call(q,
                Masks.attach(Tensor.of(v.array()), bool(qm)), null, null, false, false));
        assertTrue(e.getMessage().contains(mha.describe()) && e.getMessage().contains("value's mask"), e.getMessage());
    }

    @Test
    void symbolicTensorsCarryTheMask() {
        KerasTensor ids = KerasTensor.of(new InputLayer(new long[] {5}));
        KerasTensor embedded = (KerasTensor) new Embedding(8, 3).maskZero(true).apply(ids);
        assertTrue(embedded.hasMask());
        assertArrayEquals(new long[] {-1, 5}, embedded.maskShape());
        KerasTensor sequence = (KerasTensor) new GRU(2).returnSequences(true).apply(embedded);
        assertArrayEquals(new long[] {-1, 5}, sequence.maskShape());
        assertFalse(((KerasTensor) new GRU(2).apply(embedded)).hasMask());
        assertFalse(((KerasTensor) new Flatten().apply(embedded)).hasMask());
        KerasTensor unknownSteps = KerasTensor.of(new InputLayer(new long[] {-1}));
        assertArrayEquals(new long[] {-1, -1},
                ((KerasTensor) new Embedding(8, 3).maskZero(true).apply(unknownSteps)).maskShape());
    }

    @Test
    void maskingMarksStepsOfTheMaskValueAndZeroesThem() {
        float[][][] values = {{{1, 2}, {-1, -1}, {3, -1}}, {{-1, -1}, {0, 5}, {-1, -1}}};
        Tensor x = Tensor.of(Nd4j.createFromArray(values));
        Masking masking = new Masking(-1);
        Tensor out = masking.apply(x);
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0}, floats(Masks.of(out)));
        assertArrayEquals(new float[] {1, 2, 0, 0, 3, -1, 0, 0, 0, 5, 0, 0}, out.toFloatArray(), 0f);   // -0 as Keras
        // the mask replaces the input's own
        Tensor premasked = Masks.attach(Tensor.of(x.array()), bool(new boolean[][] {{false, false, false}, {true, true, true}}));
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0}, floats(Masks.of(masking.apply(premasked))));
        // and a recurrent layer after it skips those steps
        GRU gru = new GRU(2);
        assertArrayEquals(gru.call(out, Masks.of(out), false).toFloatArray(), gru.apply(out).toFloatArray(), 0f);
        Masking back = (Masking) Layers.fromConfig("Masking", masking.config());
        assertEquals(-1.0, back.maskValue());
        assertEquals(0.0, ((Masking) Layers.fromConfig("Masking", java.util.Map.of())).maskValue());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Masking(Double.NaN)).getMessage().contains("NaN"));
    }

    @Test
    void maskingGradientsMatchCentralDifferencesInFloat64() {
        Masking masking = (Masking) new Masking(0.0).dtype(DataType.DOUBLE);
        Tensor x = normal64(12, 2, 4, 3);
        x.array().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(2),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(0);
        double error = GradientCheck.check(in -> masking.call(in.get(0), false).square(), List.of(x));
        assertTrue(error < GRADIENT_BOUND, "input: " + error);
    }
}
