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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SimpleRNN, LSTM and GRU: shapes, Keras' weights and defaults, float64 gradient checks, masks, configs, errors. */
class RecurrentLayerTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(7);
    }

    /** Every layer kind and option that changes the arithmetic, as a fresh float64 layer. */
    private static Map<String, Supplier<RecurrentLayer<?>>> variants() {
        Map<String, Supplier<RecurrentLayer<?>>> v = new LinkedHashMap<>();
        v.put("SimpleRNN", () -> new SimpleRNN(2).dtype(DataType.DOUBLE));
        v.put("SimpleRNN sequences go_backwards", () -> new SimpleRNN(2).returnSequences(true).goBackwards(true)
                .dtype(DataType.DOUBLE));
        v.put("SimpleRNN softplus no bias", () -> new SimpleRNN(2, "softplus").useBias(false).dtype(DataType.DOUBLE));
        v.put("LSTM", () -> new LSTM(2).dtype(DataType.DOUBLE));
        v.put("LSTM sequences", () -> new LSTM(2).returnSequences(true).dtype(DataType.DOUBLE));
        v.put("LSTM go_backwards return_state", () -> new LSTM(2).goBackwards(true).returnState(true).dtype(DataType.DOUBLE));
        v.put("GRU", () -> new GRU(2).dtype(DataType.DOUBLE));
        v.put("GRU sequences go_backwards return_state", () -> new GRU(2).returnSequences(true).goBackwards(true)
                .returnState(true).dtype(DataType.DOUBLE));
        v.put("GRU reset_after=False", () -> new GRU(2).resetAfter(false).dtype(DataType.DOUBLE));
        v.put("GRU reset_after=False no bias return_state", () -> new GRU(2).resetAfter(false).useBias(false)
                .returnState(true).dtype(DataType.DOUBLE));
        return v;
    }

    /** The output plus every state, each projected on its own fixed random tensor, summed: all of them count. */
    private static Tensor objective(List<Tensor> outputs) {
        Tensor total = null;
        for (int i = 0; i < outputs.size(); i++) {
            Tensor o = outputs.get(i);
            Tensor projection = normal64(100 + i, o.shape());
            Tensor term = o.mul(projection).sum();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    private static List<Tensor> run(RecurrentLayer<?> layer, Tensor x, Tensor mask) {
        return layer.returnState() ? layer.callWithState(x, mask, false) : List.of(layer.call(x, mask, false));
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchCentralDifferencesInFloat64() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Supplier<RecurrentLayer<?>>> e : variants().entrySet()) {
            // masks with go_backwards and states, where their bookkeeping is most intricate
            boolean maskable = e.getKey().contains("go_backwards") || e.getKey().contains("reset_after");
            for (boolean masked : maskable ? new boolean[] {false, true} : new boolean[] {false}) {
                tests.add(DynamicTest.dynamicTest(e.getKey() + (masked ? " masked" : ""), () -> {
                    RecurrentLayer<?> layer = e.getValue().get();
                    Tensor x = normal64(1, 2, 4, 2);
                    // sample 0 loses a middle and the last step, sample 1 its first
                    Tensor mask = masked ? Tensor.of(Nd4j.createFromArray(new boolean[][] {
                        {true, false, true, false}, {false, true, true, true}})) : null;
                    double inputError = GradientCheck.check(in -> objective(run(layer, in.get(0), mask)), List.of(x));
                    assertTrue(inputError < GRADIENT_BOUND, "input: " + inputError);
                    double weightError = GradientCheck.checkVariables(() -> objective(run(layer, x, mask)), layer.weights());
                    assertTrue(weightError < GRADIENT_BOUND, "weights: " + weightError);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void shapesWeightsAndParameterCountsAreKeras() {
        LSTM lstm = new LSTM(64);
        lstm.build(-1, 7, 10);
        assertEquals(4 * (64 * (10 + 64) + 64), lstm.countParams());
        assertEquals(19200, lstm.countParams());
        assertNames(List.of("lstm/kernel:0 [10, 256]", "lstm/recurrent_kernel:0 [64, 256]", "lstm/bias:0 [256]"),
                lstm.weights());
        GRU gru = new GRU(64);
        gru.build(-1, 7, 10);
        assertEquals(3 * (64 * (10 + 64) + 64) + 3 * 64, gru.countParams());
        assertNames(List.of("gru/kernel:0 [10, 192]", "gru/recurrent_kernel:0 [64, 192]", "gru/bias:0 [2, 192]"),
                gru.weights());
        GRU gruBefore = new GRU(64).resetAfter(false);
        gruBefore.build(-1, 7, 10);
        assertEquals(3 * (64 * (10 + 64) + 64), gruBefore.countParams());
        SimpleRNN rnn = new SimpleRNN(8);
        rnn.build(-1, 7, 10);
        assertEquals(8 * (10 + 8) + 8, rnn.countParams());
        assertNames(List.of("simple_rnn/kernel:0 [10, 8]", "simple_rnn/recurrent_kernel:0 [8, 8]", "simple_rnn/bias:0 [8]"),
                rnn.weights());

        Tensor x = normal(2, 5, 7, 10);
        assertShape(new long[] {5, 64}, lstm.call(x, false));
        lstm.returnSequences(true);
        assertShape(new long[] {5, 7, 64}, lstm.call(x, false));
        assertArrayEquals(new long[] {-1, 7, 64}, lstm.computeOutputShape(-1, 7, 10));
        assertArrayEquals(new long[] {-1, 8}, rnn.computeOutputShape(-1, 7, 10));
        List<Tensor> outHC = new LSTM(8).returnState(true).callWithState(x, false);
        assertEquals(3, outHC.size());
        assertEquals(outHC.get(0).array(), outHC.get(1).array());
        assertShape(new long[] {5, 8}, outHC.get(2));
        assertEquals(2, new GRU(4).callWithState(x, false).size());
    }

    @Test
    void initialWeightsFollowKerasDefaults() {
        LSTM lstm = new LSTM(16);
        lstm.build(-1, 3, 5);
        double[] bias = lstm.bias().toDoubleArray();
        for (int i = 0; i < bias.length; i++) {
            assertEquals(i >= 16 && i < 32 ? 1.0 : 0.0, bias[i], "unit_forget_bias: bias[" + i + "]");
        }
        LSTM plain = new LSTM(16).unitForgetBias(false);
        plain.build(-1, 3, 5);
        assertEquals(0.0, plain.bias().array().sumNumber().doubleValue());
        // orthogonal recurrent kernel [16, 64]: its 16 rows are orthonormal
        INDArray r = lstm.recurrentKernel().array().castTo(DataType.DOUBLE);
        INDArray gram = r.mmul(r.transpose());
        assertTrue(gram.sub(Nd4j.eye(16)).norm2Number().doubleValue() < 1e-5, gram.toString());
        // glorot_uniform kernel [5, 64]: limit sqrt(6 / (5 + 64))
        double limit = Math.sqrt(6.0 / (5 + 64));
        assertTrue(lstm.kernel().array().amaxNumber().doubleValue() <= limit);
        assertEquals("tanh", lstm.activation().kerasName());
        assertEquals("sigmoid", lstm.recurrentActivation().kerasName());
        assertTrue(new GRU(2).resetAfter());
    }

    @Test
    void goBackwardsReadsTheStepsInReverse() {
        Tensor x = normal(3, 2, 5, 3);
        INDArray reversed = Nd4j.create(DataType.FLOAT, 2, 5, 3);
        for (int t = 0; t < 5; t++) {
            reversed.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(x.array().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(4 - t), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        }
        for (RecurrentLayer<?> layer : List.<RecurrentLayer<?>>of(new SimpleRNN(4), new LSTM(4), new GRU(4))) {
            layer.returnSequences(true);
            Tensor forward = layer.call(Tensor.of(reversed), false);
            layer.goBackwards(true);
            Tensor backward = layer.call(x, false);
            // the same sequence, in processing order: not flipped back
            assertTrue(forward.array().equalsWithEps(backward.array(), 1e-6), layer.describe());
        }
    }

    @Test
    void aMaskedStepCarriesTheStateOver() {
        Tensor x = normal(4, 2, 5, 3);
        boolean[][] keep = {{true, true, false, true, false}, {true, true, true, true, true}};
        Tensor mask = Tensor.of(Nd4j.createFromArray(keep));
        for (RecurrentLayer<?> layer : List.<RecurrentLayer<?>>of(new SimpleRNN(4), new LSTM(4), new GRU(4))) {
            layer.returnSequences(true).returnState(true);
            List<Tensor> masked = layer.callWithState(x, mask, false);
            // sample 0 with steps 2 and 4 removed gives the state the masked run ends with
            Tensor kept = Tensor.concat(List.of(x.slice(0, 0, 1).slice(1, 0, 2), x.slice(0, 0, 1).slice(1, 3, 4)), 1);
            List<Tensor> shorter = layer.callWithState(kept, false);
            for (int s = 1; s < masked.size(); s++) {
                assertTrue(masked.get(s).slice(0, 0, 1).array().equalsWithEps(shorter.get(s).array(), 1e-6), layer.describe());
            }
            Tensor seq = masked.get(0);
            // a masked step repeats the previous output
            assertTrue(seq.slice(1, 2, 3).slice(0, 0, 1).array().equalsWithEps(seq.slice(1, 1, 2).slice(0, 0, 1).array(), 0));
            // an all-true mask changes nothing; numeric masks count nonzero as kept
            Tensor ones = Tensor.of(Nd4j.ones(DataType.FLOAT, 2, 5));
            assertTrue(layer.call(x, ones, false).array().equalsWithEps(layer.call(x, false).array(), 0));
        }
    }

    @Test
    void dropoutDropsWholeInputFeaturesForEveryStepWhileTraining() {
        // one feature: each sample's input is either dropped at every step or doubled (rate 0.5)
        Tensor x = normal(9, 16, 5, 1);
        GRU gru = new GRU(3).dropout(0.5, 21L);
        Tensor inference = gru.call(x, false);
        Tensor dropped = gru.call(x.mul(0.0), false);
        Tensor doubled = gru.call(x.mul(2.0), false);
        Tensor training = gru.call(x, true);
        int zeros = 0;
        for (int b = 0; b < 16; b++) {
            INDArray row = training.slice(0, b, b + 1).array();
            boolean wasDropped = row.equalsWithEps(dropped.slice(0, b, b + 1).array(), 1e-6);
            assertTrue(wasDropped || row.equalsWithEps(doubled.slice(0, b, b + 1).array(), 1e-6), "sample " + b);
            zeros += wasDropped ? 1 : 0;
        }
        assertTrue(zeros > 0 && zeros < 16, zeros + " of 16 dropped");
        assertTrue(inference.array().equalsWithEps(gru.call(x, false).array(), 0), "inference never drops");
        assertEquals(0.5, gru.config().get("dropout"));
        assertEquals(21L, ((Number) Layers.fromConfig("GRU", gru.config()).config().get("seed")).longValue());
    }

    @Test
    void anInitialStateContinuesWhereTheLastCallEnded() {
        Tensor x = normal(12, 3, 6, 2);
        for (RecurrentLayer<?> layer : List.<RecurrentLayer<?>>of(new SimpleRNN(4), new LSTM(4), new GRU(4))) {
            List<Tensor> whole = layer.callWithState(x, false);
            List<Tensor> first = layer.callWithState(x.slice(1, 0, 4), false);
            List<Tensor> rest = layer.callWithState(x.slice(1, 4, 6), first.subList(1, first.size()), null, false);
            for (int i = 0; i < whole.size(); i++) {
                assertTrue(whole.get(i).array().equalsWithEps(rest.get(i).array(), 1e-6), layer.describe() + " " + i);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> layer.callWithState(x, List.of(normal(1, 3, 5)), null, false));
            assertTrue(e.getMessage().contains("initial_state must be"), e.getMessage());
        }
        LSTM lstm = new LSTM(2).dtype(DataType.DOUBLE);
        Tensor input = normal64(13, 2, 3, 2);
        double error = GradientCheck.check(in -> objective(lstm.callWithState(in.get(0), List.of(in.get(1), in.get(2)),
                null, false)), List.of(input, normal64(14, 2, 2), normal64(15, 2, 2)));
        assertTrue(error < GRADIENT_BOUND, "with initial states: " + error);
    }

    @Test
    void oneTrainingStepLowersTheLoss() {
        LSTM lstm = new LSTM(4);
        Tensor x = normal(5, 8, 6, 3);
        Tensor y = normal(6, 8, 4).mul(0.3);
        double before = LayerTesting.descend(lstm, x, y, 0.1);
        double after = LayerTesting.loss(lstm, x, y).itemDouble();
        assertTrue(after < before, before + " -> " + after);
    }

    @Test
    void configsRoundTripThroughLayersFromConfig() {
        List<RecurrentLayer<?>> layers = List.of(new SimpleRNN(5, "relu").returnSequences(true),
                new LSTM(6).goBackwards(true).returnState(true).unitForgetBias(false),
                new GRU(7).resetAfter(false).useBias(false).kernelInitializer(Initializers.heNormal(3)));
        for (RecurrentLayer<?> layer : layers) {
            Map<String, Object> config = layer.config();
            Layer copy = Layers.fromConfig(layer.className(), config);
            assertEquals(layer.getClass(), copy.getClass());
            assertEquals(config, copy.config());
        }
        Map<String, Object> lstm = new LSTM(3).config();
        for (String key : List.of("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
                "recurrent_initializer", "bias_initializer", "unit_forget_bias", "dropout", "recurrent_dropout",
                "return_sequences", "return_state", "go_backwards", "stateful", "unroll")) {
            assertTrue(lstm.containsKey(key), key);
        }
        assertEquals("Orthogonal", ((Map<?, ?>) lstm.get("recurrent_initializer")).get("class_name"));
        assertEquals(true, new GRU(2).config().get("reset_after"));
        // Keras' own keys with their defaults, as a .keras file holds them
        GRU fromKeras = (GRU) Layers.fromConfig("GRU", Map.of("units", 32, "return_sequences", true, "reset_after", false,
                "activation", "tanh", "recurrent_activation", "sigmoid", "unroll", true, "dropout", 0.0));
        assertEquals(32, fromKeras.units());
        assertTrue(fromKeras.returnSequences());
        assertFalse(fromKeras.resetAfter());
    }

    @Test
    void badInputFailsWithTheLayerAndTheShapes() {
        LSTM lstm = new LSTM(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.call(normal(1, 2, 3), false));
        assertEquals("lstm (LSTM): input must have rank 3 (batch, steps, features), got shape [2, 3]", e.getMessage());
        assertFalse(lstm.isBuilt());
        lstm.call(normal(1, 2, 5, 3), false);
        e = assertThrows(IllegalArgumentException.class, () -> lstm.call(normal(1, 2, 5, 4), false));
        assertEquals("lstm (LSTM): input last dimension must be 3 (kernel [3, 16]), got shape [2, 5, 4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> lstm.call(normal(1, 2, 5, 3), Tensor.of(Nd4j.ones(DataType.BOOL, 2, 4)), false));
        assertEquals("lstm (LSTM): the mask must have shape [batch, steps] = [2, 5] for inputs [2, 5, 3], got [2, 4]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GRU(0));
        assertEquals("GRU: units must be a positive integer, got 0", e.getMessage());
        assertEquals("gru", new GRU(1).name(), "a rejected constructor gives its name back");
        e = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("LSTM", Map.of("units", 4, "recurrent_dropout", 0.2)));
        assertTrue(e.getMessage().startsWith("LSTM.fromConfig: recurrent_dropout = 0.2 is not supported"), e.getMessage());
    }
}
