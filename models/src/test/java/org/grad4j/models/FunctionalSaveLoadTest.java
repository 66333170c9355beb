package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Add;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.Dense;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.Layer;
import org.grad4j.layers.MultiHeadAttention;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Round trips of functional models through .g4j files, and the graph's gradients against central differences. */
class FunctionalSaveLoadTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(29);
    }

    private static INDArray values(long... shape) {
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
    }

    private Functional roundTrip(Functional model) {
        Path file = dir.resolve(model.name() + ".g4j");
        model.save(file);
        Model loaded = Model.load(file);
        assertTrue(loaded instanceof Functional, loaded.getClass().getName());
        return (Functional) loaded;
    }

    @Test
    void oneInputOneOutputKeepsItsLossAndPredictions() {
        Tensor in = Input.of(new long[] {4}, "x");
        Tensor h = new Dense(5, "relu").apply(in);
        Functional model = new Functional(in, new Dense(2).apply(h));
        model.compile(new SGD(0.1), new MeanSquaredError(), "mae");
        INDArray x = values(12, 4);
        model.fit(x, values(12, 2), FitOptions.epochs(2).batchSize(4).verbose(0));
        Functional back = roundTrip(model);
        assertEquals(model.predict(x), back.predict(x));
        assertTrue(back.loss() instanceof MeanSquaredError);
        assertEquals(List.of("mae"), back.metrics().stream().map(m -> m.name()).toList());
    }

    @Test
    void nestedModelsStatesAndAttentionComeBack() {
        Tensor seq = Input.of(new long[] {5, 3}, "seq");
        List<Tensor> lstm = new LSTM(4).returnSequences(true).returnState(true).callWithState(seq, false);
        Tensor attended = new MultiHeadAttention(2, 3).call(lstm.get(0), seq);
        Sequential head = new Sequential(new Dense(6, "relu"), new Dense(2));
        Tensor last = new Concatenate().apply(List.of(lstm.get(1), lstm.get(2)));
        Tensor out = new Add().apply(List.of(head.apply(last), new Dense(2).apply(new org.grad4j.layers.Flatten().apply(attended))));
        Functional model = new Functional(List.of(seq), List.of(out));
        INDArray x = values(3, 5, 3);
        Functional back = roundTrip(model);
        assertEquals(model.predict(x), back.predict(x));
        assertEquals(model.summaryString(), back.summaryString());
    }

    @Test
    void aStateCallOnALayerThatDoesNotReturnStateCannotBeSavedFaithfully() {
        Tensor seq = Input.of(new long[] {5, 3}, "seq");
        List<Tensor> states = new LSTM(4).callWithState(seq, false);
        Functional model = new Functional(List.of(seq), List.of(new Dense(1).apply(states.get(2))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.save(dir.resolve("s.g4j")));
        assertTrue(e.getMessage().contains("returnState(true)"), e.getMessage());
    }

    @Test
    void gradientsThroughASharedLayerAndASkipMatchCentralDifferencesInFloat64() {
        Tensor a = Input.of(new long[] {3}, "a", DataType.DOUBLE);
        Tensor b = Input.of(new long[] {3}, "b", DataType.DOUBLE);
        Dense shared = (Dense) new Dense(4, "tanh").dtype(DataType.DOUBLE);
        Tensor sum = new Add().dtype(DataType.DOUBLE).apply(List.of(shared.apply(a), shared.apply(b)));
        Tensor skip = new Concatenate().dtype(DataType.DOUBLE).apply(List.of(sum, a));
        Layer out = new Dense(2).dtype(DataType.DOUBLE);
        Functional model = new Functional(List.of(a, b), List.of(out.apply(skip)));
        assertEquals(DataType.DOUBLE, model.dtype());
        Tensor xa = Tensor.of(Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5));
        Tensor xb = Tensor.of(Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5));
        double inputError = GradientCheck.check(in -> model.call(in, false).get(0), List.of(xa, xb));
        assertTrue(inputError < 1e-6, "inputs: " + inputError);
        List<Variable> weights = model.trainableVariables();
        double weightError = GradientCheck.checkVariables(() -> model.call(List.of(xa, xb), false).get(0).square().sum(), weights);
        assertTrue(weightError < 1e-6, "weights: " + weightError);
    }

    @Test
    void aModelOfTwoInputsAndOutputsNestsInAnotherAndComesBack() {
        Tensor p = Input.of(new long[] {3}, "p");
        Tensor q = Input.of(new long[] {2}, "q");
        Tensor joined = new Concatenate().apply(List.of(p, q));
        Functional inner = new Functional(List.of(p, q),
                List.of(new Dense(4).name("left").apply(joined), new Dense(1).name("right").apply(joined)), "inner");
        Tensor a = Input.of(new long[] {3}, "a");
        Tensor b = Input.of(new long[] {2}, "b");
        List<Tensor> both = inner.call(List.of(a, b), false);
        assertEquals(2, both.size());
        Tensor out = new Dense(2).name("top").apply(new Concatenate().apply(both));
        Functional outer = new Functional(List.of(a, b), List.of(out, both.get(1)));
        INDArray xa = values(5, 3);
        INDArray xb = values(5, 2);
        List<INDArray> inside = inner.predictAll(List.of(xa, xb));
        List<INDArray> p2 = outer.predictAll(List.of(xa, xb));
        assertEquals(inside.get(1), p2.get(1));
        // both outputs in the nested model's row, wrapped in its column as rich wraps them
        assertTrue(outer.summaryString().contains("│ inner (Functional)  │ [(None, 4),       │         30 │ a[0][0], b[0][0]  │\n"
                + "│                     │ (None, 1)]        │            │                   │\n"), outer.summaryString());
        assertEquals(List.of("top", "inner"), outer.outputNames());
        Functional back = roundTrip(outer);
        List<INDArray> again = back.predictAll(List.of(xa, xb));
        assertEquals(p2.get(0), again.get(0));
        assertEquals(p2.get(1), again.get(1));
        // called with one tensor, such a model could only give its outputs packed: refused with the way to call it
        Tensor c = Input.of(new long[] {3}, "c");
        Tensor d = Input.of(new long[] {2}, "d");
        Tensor packed = new Dense(1).apply(inner.apply(new Concatenate().apply(List.of(c, d))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Functional(List.of(c, d), List.of(packed)));
        assertTrue(e.getMessage().contains("call it with call(List.of(...), training)"), e.getMessage());
    }
}
