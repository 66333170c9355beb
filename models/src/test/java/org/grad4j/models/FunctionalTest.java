package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Add;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.KerasTensor;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.Layer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Functional models: symbolic tensors, the graph and its checks, the forward pass and predict. */
class FunctionalTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(7);
    }

    private static INDArray values(long... shape) {
        return Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape).subi(0.5);
    }

    @Test
    void symbolicTensorsCarryShapeAndHistory() {
        Tensor a = Input.of(new long[] {4}, "a");
        Dense dense = new Dense(8);
        Tensor h = dense.apply(a);
        assertTrue(h instanceof KerasTensor);
        assertArrayEquals(new long[] {-1, 8}, h.shape());
        KerasTensor k = (KerasTensor) h;
        assertSame(dense, k.layer());
        assertEquals("dense[0][0]", k.history());
        assertEquals(1, dense.inboundNodes().size());
        assertSame(a, dense.inboundNodes().get(0).inputs().get(0));
        assertTrue(dense.isBuilt());
        // a second call records a second node on the same layer
        Tensor h2 = dense.apply(Input.of(4));
        assertEquals("dense[1][0]", ((KerasTensor) h2).history());
    }

    @Test
    void unknownInnerDimensionsStayUnknown() {
        Tensor seq = Input.of(new long[] {-1, 3}, "seq");
        Tensor all = new LSTM(5).returnSequences(true).apply(seq);
        assertArrayEquals(new long[] {-1, -1, 5}, all.shape());
        List<Tensor> withState = new LSTM(6).callWithState(seq, false);
        assertEquals(3, withState.size());
        for (Tensor t : withState) {
            assertArrayEquals(new long[] {-1, 6}, t.shape());
        }
    }

    @Test
    void aChainPredictsAsTheEquivalentSequential() {
        Tensor in = Input.of(new long[] {4}, "x");
        Dense first = new Dense(8, "relu");
        Dense second = new Dense(2);
        Model f = Model.of(in, second.apply(first.apply(in)));
        Sequential s = new Sequential(new InputLayer(4), new Dense(8, "relu"), new Dense(2));
        s.setWeights(f.getWeights());
        INDArray x = values(10, 4);
        assertEquals(s.predict(x), f.predict(x));
        assertEquals(List.of("x", "dense", "dense_1"), f.layers().stream().map(Layer::name).toList());
        assertEquals(4 * 8 + 8 + 8 * 2 + 2, f.countParams());
    }

    @Test
    void twoInputsTwoOutputsWithSharedLayerAndSkip() {
        Tensor a = Input.of(new long[] {3}, "a");
        Tensor b = Input.of(new long[] {3}, "b");
        Dense shared = new Dense(4, "tanh");
        Tensor ha = shared.apply(a);
        Tensor hb = shared.apply(b);
        Tensor sum = new Add().apply(List.of(ha, hb));
        Tensor skip = new Concatenate().apply(List.of(sum, a));
        Dense outA = new Dense(1);
        Dense outB = new Dense(2);
        Functional f = new Functional(List.of(a, b), List.of(outA.apply(skip), outB.apply(sum)));
        assertEquals(List.of("a", "b"), f.inputNames());
        assertEquals(List.of("dense_1", "dense_2"), f.outputNames());
        // the shared layer's weights appear once
        assertEquals(3 * 4 + 4 + 7 * 1 + 1 + 4 * 2 + 2, f.countParams());

        INDArray xa = values(5, 3);
        INDArray xb = values(5, 3);
        List<INDArray> p = f.predictAll(List.of(xa, xb));
        assertEquals(2, p.size());
        assertArrayEquals(new long[] {5, 1}, p.get(0).shape());
        assertArrayEquals(new long[] {5, 2}, p.get(1).shape());

        // the same arithmetic written out with the layers on values
        try (NoGrad scope = NoGrad.enter()) {
            Tensor ta = Tensor.of(xa);
            Tensor s = shared.apply(ta).add(shared.apply(Tensor.of(xb)));
            Tensor expectedA = outA.apply(Tensor.concat(List.of(s, ta), -1));
            Tensor expectedB = outB.apply(s);
            assertTrue(expectedA.array().equalsWithEps(p.get(0), 1e-6));
            assertTrue(expectedB.array().equalsWithEps(p.get(1), 1e-6));
        }
        // inputs by name give the same
        List<INDArray> byName = f.predictAll(Map.of("b", xb, "a", xa));
        assertEquals(p.get(0), byName.get(0));
        assertEquals(p.get(1), byName.get(1));
    }

    @Test
    void aNestedModelIsOneLayerOfTheGraph() {
        Sequential block = new Sequential(new Dense(6, "relu"), new Dense(3));
        Tensor in = Input.of(new long[] {4}, "x");
        Tensor out = new Dense(1).apply(block.apply(in));
        Model f = Model.of(in, out);
        assertEquals(List.of("x", "sequential", "dense_2"), f.layers().stream().map(Layer::name).toList());
        INDArray x = values(7, 4);
        try (NoGrad scope = NoGrad.enter()) {
            INDArray expected = f.getLayer("dense_2").apply(block.apply(Tensor.of(x))).array();
            assertTrue(expected.equalsWithEps(f.predict(x), 1e-6));
        }
        // and a functional model nests in another
        Tensor in2 = Input.of(new long[] {4}, "x2");
        Model outer = Model.of(in2, new Dense(2).apply(f.apply(in2)));
        assertArrayEquals(new long[] {7, 2}, outer.predict(x).shape());
    }

    @Test
    void disconnectedOutputIsNamed() {
        Tensor a = Input.of(new long[] {3}, "a");
        Tensor b = Input.of(new long[] {3}, "b");
        Tensor out = new Dense(1).apply(new Concatenate().apply(List.of(a, b)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.of(a, out));
        assertTrue(e.getMessage().contains("graph disconnected"), e.getMessage());
        assertTrue(e.getMessage().contains("concatenate (Concatenate) needs input \"b\""), e.getMessage());
    }

    @Test
    void unusedInputIsNamed() {
        Tensor a = Input.of(new long[] {3}, "a");
        Tensor b = Input.of(new long[] {3}, "b");
        Tensor out = new Dense(1).apply(a);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.of(List.of(a, b), List.of(out)));
        assertTrue(e.getMessage().contains("input \"b\" is not used by any output"), e.getMessage());
    }

    @Test
    void shapeMismatchFailsAtTheCallWithTheLayersMessage() {
        Tensor a = Input.of(new long[] {3}, "a");
        Dense dense = new Dense(2);
        dense.build(-1, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dense.apply(a));
        assertTrue(e.getMessage().startsWith("dense (Dense)"), e.getMessage());
        assertTrue(e.getMessage().contains("[-1, 3]"), e.getMessage());
        assertEquals(0, dense.inboundNodes().size());
        Tensor b = Input.of(new long[] {4}, "b");
        IllegalArgumentException merge = assertThrows(IllegalArgumentException.class,
                () -> new Add().apply(List.of(a, b)));
        assertTrue(merge.getMessage().startsWith("add (Add)"), merge.getMessage());
    }

    @Test
    void nonSymbolicInputsAndWrongArraysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Model.of(Tensor.of(Nd4j.zeros(1, 3)), Input.of(3)));
        Tensor a = Input.of(new long[] {3}, "a");
        Tensor b = Input.of(new long[] {2}, "b");
        Functional f = new Functional(List.of(a, b), List.of(new Dense(1).apply(new Concatenate().apply(List.of(a, b)))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.predictAll(List.of(values(4, 3), values(4, 3))));
        assertTrue(e.getMessage().contains("input \"b\" expects shape [-1, 2], got [4, 3]"), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> f.predictAll(Map.of("a", values(4, 3), "c", values(4, 2))));
        assertTrue(unknown.getMessage().contains("unknown input \"c\" (known: a, b)"), unknown.getMessage());
    }

    @Test
    void sequencesOfAnyLengthWorkAsListsButCannotBePacked() {
        Tensor s = Input.of(new long[] {-1, 3}, "s");
        Tensor t = Input.of(new long[] {-1, 3}, "t");
        LSTM shared = new LSTM(4);
        Tensor out = new Dense(1).apply(new Add().apply(List.of(shared.apply(s), shared.apply(t))));
        Functional f = new Functional(List.of(s, t), List.of(out));
        List<Tensor> five = f.call(List.of(Tensor.of(values(2, 5, 3)), Tensor.of(values(2, 5, 3))), false);
        List<Tensor> seven = f.call(List.of(Tensor.of(values(2, 7, 3)), Tensor.of(values(2, 7, 3))), false);
        assertArrayEquals(new long[] {2, 1}, five.get(0).shape());
        assertArrayEquals(new long[] {2, 1}, seven.get(0).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.predictAll(List.of(values(2, 5, 3), values(2, 5, 3))));
        assertTrue(e.getMessage().contains("\"s\" has per-sample shape [-1, 3] with an unknown dimension"), e.getMessage());
    }
}
