package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Add;
import org.grad4j.layers.Bidirectional;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Embedding;
import org.grad4j.layers.GRU;
import org.grad4j.layers.GlobalAveragePooling1D;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.KerasTensor;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.Layer;
import org.grad4j.layers.Masking;
import org.grad4j.layers.Masks;
import org.grad4j.layers.MultiHeadAttention;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Keras masks through Sequential and functional models: an Embedding(maskZero) mask reaches the recurrent layers,
 * pooling and merges after it, and the output's mask weighs the loss (Keras' {@code apply_mask}).
 */
class MaskedModelTest {
    /** Two padded sequences of 3 and 4 real tokens. */
    private static final float[][] PADDED = {{4, 2, 7, 0, 0, 0}, {1, 6, 3, 5, 0, 0}};
    private static final int[] LENGTHS = {3, 4};

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(11);
    }

    private static INDArray ids() {
        return Nd4j.createFromArray(PADDED);
    }

    private static double maxDiff(INDArray a, INDArray b) {
        return Nd4j.math().abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    @Test
    void sequentialEmbeddingLstmEqualsTheLstmCalledWithTheMask() {
        Embedding embedding = new Embedding(8, 3).maskZero(true);
        LSTM lstm = new LSTM(4);
        Sequential model = new Sequential(new InputLayer(6), embedding, lstm);
        INDArray predicted = model.predict(ids());
        Tensor x = Tensor.of(ids());
        Tensor direct = lstm.call(embedding.call(x, false), embedding.computeMask(x), false);
        assertEquals(0.0, maxDiff(direct.array(), predicted));
        assertTrue(maxDiff(lstm.call(embedding.call(x, false), false).array(), predicted) > 1e-4,
                "without the mask the padded steps would change the output");
    }

    @Test
    void paddedAndUnpaddedSequencesGiveTheSameOutput() {
        List<Supplier<Layer>> recurrent = List.of(() -> new LSTM(4), () -> new GRU(3),
                () -> new Bidirectional(new LSTM(2)), () -> new Bidirectional(new GRU(2).returnSequences(true), "sum"));
        for (Supplier<Layer> make : recurrent) {
            Embedding embedding = new Embedding(8, 3).maskZero(true);
            Layer rnn = make.get();
            Sequential model = new Sequential(new InputLayer(6), embedding, rnn);
            INDArray padded = model.predict(ids());
            for (int b = 0; b < 2; b++) {
                INDArray real = ids().get(NDArrayIndex.interval(b, b + 1), NDArrayIndex.interval(0, LENGTHS[b]));
                INDArray alone = rnn.apply(embedding.apply(Tensor.of(real))).array();
                INDArray row = padded.get(NDArrayIndex.interval(b, b + 1));
                if (alone.rank() == 3) {
                    // a returned sequence: the real steps agree, the padded ones are zeros (Bidirectional's merge)
                    row = row.get(NDArrayIndex.all(), NDArrayIndex.interval(0, LENGTHS[b]), NDArrayIndex.all());
                    INDArray pads = padded.get(NDArrayIndex.interval(b, b + 1), NDArrayIndex.interval(LENGTHS[b], 6),
                            NDArrayIndex.all());
                    assertEquals(0.0, pads.amaxNumber().doubleValue(), rnn.describe());
                }
                assertTrue(maxDiff(alone, row) < 1e-6, rnn.describe() + " sample " + b + ": " + maxDiff(alone, row));
            }
        }
    }

    @Test
    void embeddingThenGlobalAveragePoolingIsTheMeanOverRealTokens() {
        Embedding embedding = new Embedding(8, 3).maskZero(true);
        Sequential model = new Sequential(new InputLayer(6), embedding, new GlobalAveragePooling1D());
        INDArray out = model.predict(ids());
        INDArray table = embedding.embeddings().array();
        for (int b = 0; b < 2; b++) {
            INDArray sum = Nd4j.zeros(DataType.FLOAT, 3);
            for (int t = 0; t < LENGTHS[b]; t++) {
                sum.addi(table.getRow((long) PADDED[b][t]));
            }
            assertTrue(maxDiff(sum.div(LENGTHS[b]), out.getRow(b)) < 1e-6, "sample " + b);
        }
    }

    @Test
    void aFunctionalModelCombinesMasksThroughAddAndConcatenate() {
        Tensor a = Input.of(new long[] {6}, "a");
        Tensor b = Input.of(new long[] {6}, "b");
        Embedding ea = new Embedding(8, 3).maskZero(true);
        Embedding eb = new Embedding(8, 3).maskZero(true);
        Tensor sa = ea.apply(a);
        Tensor sb = eb.apply(b);
        LSTM afterAdd = new LSTM(2);
        LSTM afterConcat = new LSTM(2);
        Tensor added = new Add().apply(List.of(sa, sb));
        Tensor joined = new Concatenate().apply(List.of(sa, sb));
        assertTrue(((KerasTensor) added).hasMask() && ((KerasTensor) joined).hasMask());
        Functional model = new Functional(List.of(a, b),
                List.of(new Concatenate().apply(List.of(afterAdd.apply(added), afterConcat.apply(joined)))));
        INDArray xa = ids();
        INDArray xb = Nd4j.createFromArray(new float[][] {{3, 3, 0, 0, 0, 0}, {2, 2, 2, 2, 2, 0}});
        INDArray out = model.predictAll(List.of(xa, xb)).get(0);

        Tensor ta = Tensor.of(xa);
        Tensor tb = Tensor.of(xb);
        INDArray ma = xa.neq(0);
        INDArray mb = xb.neq(0);
        Tensor and = Tensor.of(ma.castTo(DataType.FLOAT).mul(mb.castTo(DataType.FLOAT)).neq(0));
        Tensor or = Tensor.of(ma.castTo(DataType.FLOAT).add(mb.castTo(DataType.FLOAT)).neq(0));
        Tensor sum = ea.call(ta, false).add(eb.call(tb, false));
        Tensor cat = Tensor.concat(List.of(ea.call(ta, false), eb.call(tb, false)), 2);
        INDArray expected = Nd4j.concat(1, afterAdd.call(sum, and, false).array(), afterConcat.call(cat, or, false).array());
        assertTrue(maxDiff(expected, out) < 1e-6, "max diff " + maxDiff(expected, out));
    }

    /** Embedding(mask) -> LSTM(sequences) -> Dense(2): a per-step regression whose padded steps must not count. */
    private static Sequential perStepModel(DataType dtype) {
        Sequential model = new Sequential();
        model.name("masked_model");
        model.dtype(dtype);
        model.add(new InputLayer(6));
        model.add(new Embedding(8, 3).maskZero(true).dtype(dtype));
        model.add(new LSTM(5).returnSequences(true).dtype(dtype));
        model.add(new Dense(2).dtype(dtype));
        return model;
    }

    private static INDArray perStepTargets() {
        Nd4j.getRandom().setSeed(3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 6, 2);
        // garbage at the padded steps: a loss that counted them would be large
        y.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 6), NDArrayIndex.all()).assign(50);
        y.get(NDArrayIndex.point(1), NDArrayIndex.interval(4, 6), NDArrayIndex.all()).assign(-50);
        return y;
    }

    @Test
    void theLossOfASequenceOutputIgnoresPaddedSteps() {
        Sequential model = perStepModel(DataType.FLOAT);
        model.compile(new Adam(0.01), "mse");
        INDArray y = perStepTargets();
        INDArray prediction = model.predict(ids());
        double sum = 0;
        int count = 0;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < LENGTHS[b]; t++) {
                for (int k = 0; k < 2; k++) {
                    double d = prediction.getDouble(b, t, k) - y.getDouble(b, t, k);
                    sum += d * d / 2;   // the mean over the last axis, per step
                }
                count++;
            }
        }
        Map<String, Double> logs = model.evaluate(ids(), y);
        assertEquals(sum / count, logs.get("loss"), 1e-6);
        assertTrue(logs.get("loss") < 10, "the ±50 targets at padded steps left out: " + logs);
    }

    @Test
    void sampleWeightsAndTheOutputMaskWeighTheLossAndTheMetricsAsKeras() {
        Sequential model = perStepModel(DataType.FLOAT);
        model.compile(new Adam(0.01), "mse", "mae");
        INDArray y = perStepTargets();
        INDArray prediction = model.predict(ids());
        // sample 1 is weighed 0; sample 0 counts at its 3 real steps
        double se = 0;
        double ae = 0;
        for (int t = 0; t < LENGTHS[0]; t++) {
            for (int k = 0; k < 2; k++) {
                double d = prediction.getDouble(0, t, k) - y.getDouble(0, t, k);
                se += d * d / 2;
                ae += Math.abs(d) / 2;
            }
        }
        // evaluate reads a labels mask [batch, 1] as sample weights; Keras' apply_mask then divides the weighted sum
        // by the number of real steps (3 + 4), while the metric's weights are the mask times the sample weights
        DataSet batch = new DataSet(ids(), y, null, Nd4j.createFromArray(new float[] {1, 0}).reshape(2, 1));
        Map<String, Double> logs = model.evaluate(TestData.iterator(List.of(batch)));
        assertEquals(se / (LENGTHS[0] + LENGTHS[1]), logs.get("loss"), 1e-5);
        assertEquals(ae / LENGTHS[0], logs.get("mae"), 1e-5);

        // per-sample weights do not spread over a per-step mask (nor in Keras): a clear error, before any step
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.evaluate(ids(), y, Nd4j.createFromArray(new float[] {2f, 0.5f}), 32));
        assertTrue(e.getMessage().contains("sample_weight shape [2]") && e.getMessage().contains("[2, 6]"), e.getMessage());
    }

    @Test
    void fitLearnsTheRealStepsAndTheLossDecreases() {
        Sequential model = perStepModel(DataType.FLOAT);
        model.compile(new Adam(0.05), "mse");
        INDArray x = Nd4j.concat(0, ids(), ids(), ids(), ids());
        INDArray y = Nd4j.concat(0, perStepTargets(), perStepTargets(), perStepTargets(), perStepTargets());
        List<Double> loss = model.fit(x, y, FitOptions.epochs(40).batchSize(4).seed(1).verbose(0)).get("loss");
        assertTrue(loss.get(0) < 10, "padded steps are not in the loss: " + loss);
        assertTrue(loss.get(loss.size() - 1) < 0.5 * loss.get(0), loss.toString());
    }

    @Test
    void gradientsThroughAMaskedLstmModelMatchCentralDifferencesInFloat64() {
        Sequential model = perStepModel(DataType.DOUBLE);
        Tensor x = Tensor.of(ids().castTo(DataType.DOUBLE));
        Tensor y = Tensor.of(perStepTargets().castTo(DataType.DOUBLE));
        MeanSquaredError mse = new MeanSquaredError();
        model.apply(x);
        double error = GradientCheck.checkVariables(() -> {
            Tensor prediction = model.apply(x, false);
            Tensor mask = OutputMask.combine(model, mse, null, Masks.of(prediction));
            return mse.call(y, prediction, null, mask);
        }, model.trainableWeights());
        assertTrue(error < 1e-6, "weights: " + error);
    }

    @Test
    void aMaskedOutputNeedsALossThatTakesMasks() {
        Sequential model = perStepModel(DataType.FLOAT);
        model.compile(new Adam(0.01), (yTrue, yPred) -> yTrue.sub(yPred).square().mean());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(ids(), perStepTargets(), FitOptions.epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("masked_model") && e.getMessage().contains("\"loss\"")
                && e.getMessage().contains("LossFunctionWrapper"), e.getMessage());

    }

    /** {@code m[b, t] & m[b, s]}: the attention mask Keras builds from a self-attention's query and value masks. */
    private static Tensor selfAttentionMask(INDArray tokens) {
        long batch = tokens.size(0);
        long steps = tokens.size(1);
        boolean[][][] mask = new boolean[(int) batch][(int) steps][(int) steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int u = 0; u < steps; u++) {
                    mask[b][t][u] = tokens.getDouble(b, t) != 0 && tokens.getDouble(b, u) != 0;
                }
            }
        }
        return Tensor.of(Nd4j.createFromArray(mask));
    }

    @Test
    void aFunctionalModelMasksSelfAttentionStatesAndANestedModel() {
        Tensor tokens = Input.of(new long[] {6}, "tokens");
        Embedding embedding = new Embedding(8, 4).maskZero(true);
        MultiHeadAttention mha = new MultiHeadAttention(2, 3);
        GlobalAveragePooling1D pool = new GlobalAveragePooling1D();
        Bidirectional bi = new Bidirectional(new LSTM(2));
        LSTM inner = new LSTM(3).returnSequences(true);
        GlobalAveragePooling1D innerPool = new GlobalAveragePooling1D();
        Sequential nested = new Sequential(inner, innerPool);

        Tensor e = embedding.apply(tokens);
        Tensor attended = mha.call(e, e, null, null);
        assertTrue(((KerasTensor) attended).hasMask(), "the output keeps the query's mask");
        List<Tensor> withState = bi.callWithState(e, false);
        Tensor merged = new Concatenate().apply(List.of(pool.apply(attended), withState.get(0), nested.apply(e)));
        Functional model = new Functional(tokens, merged);
        INDArray out = model.predict(ids());

        Tensor x = Tensor.of(ids());
        Tensor values = embedding.call(x, false);
        Tensor mask = embedding.computeMask(x);
        Tensor a = pool.call(mha.call(values, values, null, selfAttentionMask(ids()), false, false), mask, false);
        Tensor b = bi.call(values, mask, false);
        Tensor c = innerPool.call(inner.call(values, mask, false), mask, false);
        INDArray expected = Nd4j.concat(1, a.array(), b.array(), c.array());
        assertTrue(maxDiff(expected, out) < 1e-6, "max diff " + maxDiff(expected, out));
    }

    @Test
    void eachOutputOfAModelOfSeveralAppliesItsOwnMask() {
        Tensor tokens = Input.of(new long[] {6}, "tokens");
        Tensor sequence = new Dense(2).name("per_step").apply(new LSTM(3).returnSequences(true)
                .apply(new Embedding(8, 3).maskZero(true).apply(tokens)));
        Tensor last = new Dense(1).name("summary").apply(new LSTM(2).apply(sequence));
        Functional model = new Functional(List.of(tokens), List.of(sequence, last));
        model.compile(new Adam(0.01), "mse");
        INDArray ySeq = perStepTargets();
        INDArray yLast = Nd4j.createFromArray(new float[][] {{0.5f}, {-1f}});
        List<INDArray> predicted = model.predictAll(List.of(ids()));
        double se = 0;
        int valid = 0;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < LENGTHS[b]; t++) {
                for (int k = 0; k < 2; k++) {
                    double d = predicted.get(0).getDouble(b, t, k) - ySeq.getDouble(b, t, k);
                    se += d * d / 2;
                }
                valid++;
            }
        }
        double lastLoss = 0;
        for (int b = 0; b < 2; b++) {
            double d = predicted.get(1).getDouble(b, 0) - yLast.getDouble(b, 0);
            lastLoss += d * d / 2;
        }
        Map<String, Double> logs = model.evaluate(List.of(ids()), List.of(ySeq, yLast));
        assertEquals(se / valid, logs.get("per_step_loss"), 1e-5, logs.toString());
        assertEquals(lastLoss, logs.get("summary_loss"), 1e-5, logs.toString());
        assertEquals(se / valid + lastLoss, logs.get("loss"), 1e-5, logs.toString());
        List<Double> loss = model.fit(List.of(ids()), List.of(ySeq, yLast), FitOptions.epochs(30).verbose(0)).get("loss");
        assertTrue(loss.get(loss.size() - 1) < loss.get(0), loss.toString());

        Map<String, Object> losses = new java.util.LinkedHashMap<>();
        losses.put("per_step", (org.grad4j.losses.Loss) (yTrue, yPred) -> yTrue.sub(yPred).square().mean());
        losses.put("summary", "mse");
        model.compile(new Adam(0.01), losses);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.evaluate(List.of(ids()), List.of(ySeq, yLast)));
        assertTrue(e.getMessage().contains("\"per_step\"") && e.getMessage().contains("LossFunctionWrapper"), e.getMessage());
    }

    @Test
    void aMaskingModelSkipsPaddedStepsAndRoundTripsThroughKerasAndG4jFiles(@TempDir Path dir) throws Exception {
        LSTM lstm = new LSTM(3);
        Sequential model = new Sequential(new InputLayer(5, 2), new Masking(0.0), lstm);
        INDArray x = Nd4j.createFromArray(new float[][][] {{{1, 2}, {3, -1}, {0, 0}, {0, 0}, {0, 0}},
                {{0.5f, 0}, {0, 0}, {2, 2}, {1, 1}, {0, 0}}});
        INDArray padded = model.predict(x);
        INDArray first = lstm.apply(Tensor.of(x.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, 2),
                NDArrayIndex.all()).dup())).array();
        assertTrue(maxDiff(first, padded.getRow(0).reshape(1, 3)) < 1e-6, "sample 0 as its 2 real steps alone");
        for (String name : List.of("masking.keras", "masking.g4j")) {
            Path file = dir.resolve(name);
            model.save(file);
            assertArrayEquals(padded.dup('c').data().asFloat(), Model.load(file).predict(x).dup('c').data().asFloat(), name);
        }
    }
}
