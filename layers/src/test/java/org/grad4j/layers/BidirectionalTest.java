package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Bidirectional: Keras' names, weight order, merge modes, time order of the backward half, gradients, config. */
class BidirectionalTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(11);
    }

    private static Tensor reverseTime(Tensor x) {
        List<Tensor> steps = new ArrayList<>(x.unstack(1));
        Collections.reverse(steps);
        return Tensor.stack(steps, 1);
    }

    @Test
    void weightsAreTheForwardLayersThenTheBackwardLayers() {
        Bidirectional bi = new Bidirectional(new LSTM(16));
        Tensor y = bi.call(normal(1, 4, 5, 10), false);
        assertShape(new long[] {4, 32}, y);
        assertEquals("bidirectional", bi.name());
        assertNames(List.of("forward_lstm/kernel:0 [10, 64]", "forward_lstm/recurrent_kernel:0 [16, 64]",
                "forward_lstm/bias:0 [64]", "backward_lstm/kernel:0 [10, 64]", "backward_lstm/recurrent_kernel:0 [16, 64]",
                "backward_lstm/bias:0 [64]"), bi.weights());
        assertEquals(2 * 4 * (16 * (10 + 16) + 16), bi.countParams());
        assertEquals(bi.weights(), bi.trainableWeights());
        assertTrue(bi.backwardLayer().goBackwards());
        assertArrayEquals(new long[] {-1, 32}, bi.computeOutputShape(-1, 5, 10));
        bi.setTrainable(false);
        assertTrue(bi.trainableWeights().isEmpty());
        assertEquals(6, bi.nonTrainableWeights().size());
    }

    @Test
    void theBackwardSequenceIsFlippedBackToTimeOrderAndMerged() {
        Tensor x = normal(2, 3, 6, 4);
        for (String mode : new String[] {"concat", "sum", "mul", "ave"}) {
            Bidirectional bi = new Bidirectional(new GRU(5).returnSequences(true), mode);
            Tensor y = bi.call(x, false);
            Tensor f = bi.forwardLayer().call(x, false);
            // the backward half equals a forward run on the reversed steps, flipped back
            bi.backwardLayer().goBackwards(false);
            Tensor b = reverseTime(bi.backwardLayer().call(reverseTime(x), false));
            bi.backwardLayer().goBackwards(true);
            Tensor expected = switch (mode) {
                case "concat" -> Tensor.concat(List.of(f, b), -1);
                case "sum" -> f.add(b);
                case "mul" -> f.mul(b);
                default -> f.add(b).mul(0.5);
            };
            assertTrue(expected.array().equalsWithEps(y.array(), 1e-6), mode);
        }
        Bidirectional none = new Bidirectional(new SimpleRNN(3), (String) null);
        List<Tensor> both = none.callWithState(x, false);
        assertEquals(4, both.size());   // two outputs, then each direction's h
        assertThrows(IllegalStateException.class, () -> none.call(x, false));
        List<Tensor> states = new Bidirectional(new LSTM(3).returnState(true)).callWithState(x, false);
        assertEquals(5, states.size());   // output, forward h and c, backward h and c
        assertShape(new long[] {3, 6}, states.get(0));
    }

    @Test
    void maskedStepsOfReturnedSequencesAreZeroAsInKeras() {
        Bidirectional bi = new Bidirectional(new SimpleRNN(3).returnSequences(true));
        Tensor x = normal(6, 2, 4, 2);
        Tensor mask = Tensor.of(Nd4j.createFromArray(new boolean[][] {{true, true, true, false}, {false, true, true, true}}));
        double[] y = bi.call(x, mask, false).toDoubleArray();   // [2, 4, 6]
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 4; t++) {
                boolean masked = (b == 0 && t == 3) || (b == 1 && t == 0);
                for (int k = 0; k < 6; k++) {
                    double v = y[(b * 4 + t) * 6 + k];
                    assertTrue(masked ? v == 0.0 : v != 0.0, b + "," + t + "," + k + ": " + v);
                }
            }
        }
        assertTrue(bi.forwardLayer().zeroOutputForMask());
        // a lone layer repeats the previous output at a masked step (Keras' default zero_output_for_mask=False)
        SimpleRNN lone = new SimpleRNN(3).returnSequences(true);
        Tensor seq = lone.call(x, mask, false);
        assertEquals(seq.slice(1, 2, 3).slice(0, 0, 1).array(), seq.slice(1, 3, 4).slice(0, 0, 1).array());
    }

    @Test
    void gradientsMatchCentralDifferencesInFloat64() {
        Bidirectional bi = new Bidirectional(new LSTM(2).returnSequences(true)).dtype(DataType.DOUBLE);
        Tensor x = normal64(3, 2, 3, 2);
        Tensor mask = Tensor.of(Nd4j.createFromArray(new boolean[][] {{true, true, false}, {true, true, true}}));
        Tensor projection = normal64(4, 2, 3, 4);
        double inputError = GradientCheck.check(in -> bi.call(in.get(0), mask, false), List.of(x));
        assertTrue(inputError < GRADIENT_BOUND, "input: " + inputError);
        List<Variable> weights = bi.weights();
        double weightError = GradientCheck.checkVariables(() -> bi.call(x, mask, false).mul(projection).sum(), weights);
        assertTrue(weightError < GRADIENT_BOUND, "weights: " + weightError);
    }

    @Test
    void configRoundTripsAndNamesTheInnerLayer() {
        Bidirectional bi = new Bidirectional(new GRU(4).returnSequences(true), "sum");
        Map<String, Object> config = bi.config();
        assertEquals("sum", config.get("merge_mode"));
        Map<?, ?> layer = (Map<?, ?>) config.get("layer");
        assertEquals("GRU", layer.get("class_name"));
        assertEquals("forward_gru", ((Map<?, ?>) layer.get("config")).get("name"));
        assertEquals("backward_gru", ((Map<?, ?>) ((Map<?, ?>) config.get("backward_layer")).get("config")).get("name"));
        Layer copy = Layers.fromConfig("Bidirectional", config);
        assertEquals(config, copy.config());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional(new LSTM(2), "max"));
        assertEquals("Bidirectional: unknown merge_mode \"max\" (known: concat, sum, mul, ave, None)", e.getMessage());
        LSTM built = new LSTM(2);
        built.call(normal(5, 1, 2, 2), false);
        e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(built));
        assertTrue(e.getMessage().contains("not built yet"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(new LSTM(2).goBackwards(true)));
        assertEquals("Bidirectional: the forward layer and the backward layer must have different go_backwards values; "
                + "got forward true and backward true", e.getMessage());
    }
}
