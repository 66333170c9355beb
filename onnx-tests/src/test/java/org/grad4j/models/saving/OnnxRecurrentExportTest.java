package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Bidirectional;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Embedding;
import org.grad4j.layers.GRU;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.Layer;
import org.grad4j.layers.RecurrentLayer;
import org.grad4j.layers.SimpleRNN;
import org.grad4j.models.Functional;
import org.grad4j.models.Input;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** SimpleRNN, LSTM, GRU and Bidirectional as ONNX's recurrent operators, run in ORT against predict. */
class OnnxRecurrentExportTest {
    private static final int STEPS = 6;
    private static final int FEATURES = 3;

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
    }

    private double check(String what, Sequential model, INDArray x) throws Exception {
        OnnxCheck.randomizeWeights(model);
        double error = OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"), "sequence", x);
        System.out.println("OnnxRecurrentExportTest " + what + " max abs error vs predict: " + error);
        return error;
    }

    private static INDArray sequences() {
        return Nd4j.randn(DataType.FLOAT, 4, STEPS, FEATURES);
    }

    private static Sequential model(Layer... layers) {
        List<Layer> all = new ArrayList<>();
        all.add(new InputLayer(STEPS, FEATURES).name("sequence"));
        all.addAll(List.of(layers));
        return new Sequential(all.toArray(Layer[]::new));
    }

    @Test
    void stackedCellsReturningSequences() throws Exception {
        Seeds.set(41);
        check("stacked", model(new SimpleRNN(5).returnSequences(true), new LSTM(6).returnSequences(true),
                new GRU(4).returnSequences(true), new GRU(3).resetAfter(false), new Dense(2)), sequences());
    }

    /** go_backwards: the steps run last to first, and a returned sequence comes in that processing order. */
    @Test
    void goBackwardsWithAndWithoutSequences() throws Exception {
        Seeds.set(42);
        for (boolean sequences : new boolean[] {true, false}) {
            List<RecurrentLayer<?>> cells = List.of(new SimpleRNN(4), new LSTM(4), new GRU(4), new GRU(4).resetAfter(false));
            for (RecurrentLayer<?> cell : cells) {
                cell.goBackwards(true).returnSequences(sequences);
                String what = cell.getClass().getSimpleName() + (cell instanceof GRU g && !g.resetAfter() ? " reset_after=false" : "");
                check(what + " go_backwards, return_sequences=" + sequences, model(cell), sequences());
            }
        }
    }

    @Test
    void otherActivationsAndNoBias() throws Exception {
        Seeds.set(43);
        check("relu/sigmoid cells", model(new SimpleRNN(4, "relu").returnSequences(true),
                new LSTM(4, "relu", "tanh").useBias(false).returnSequences(true), new GRU(3, "sigmoid", "relu")), sequences());
    }

    @Test
    void bidirectionalEveryMergeMode() throws Exception {
        Seeds.set(44);
        for (String mode : new String[] {"concat", "sum", "mul", "ave"}) {
            check("bidirectional " + mode, model(new Bidirectional(new LSTM(3).returnSequences(true), mode),
                    new Bidirectional(new GRU(2), mode), new Dense(2)), sequences());
            check("bidirectional " + mode + " simple", model(new Bidirectional(new SimpleRNN(3), mode)), sequences());
        }
    }

    /** callWithState's outputs as model outputs: [output, h, c] of an LSTM, and a Bidirectional without merging. */
    @Test
    void statesAsFunctionalOutputs() throws Exception {
        Seeds.set(45);
        Tensor x = Input.of(new long[] {STEPS, FEATURES}, "sequence");
        List<Tensor> lstm = new LSTM(4).returnSequences(true).returnState(true).callWithState(x, false);
        List<Tensor> gru = new GRU(3).goBackwards(true).callWithState(lstm.get(0), false);
        List<Tensor> both = new Bidirectional(new LSTM(2).returnSequences(true), (String) null).callWithState(x, false);
        List<Tensor> outputs = new ArrayList<>(lstm);
        outputs.addAll(gru);
        outputs.addAll(both);
        Functional model = new Functional(List.of(x), outputs);
        OnnxCheck.randomizeWeights(model);

        Map<String, Double> errors = OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"), List.of(sequences()));
        System.out.println("OnnxRecurrentExportTest states max abs error vs predictAll: " + errors);
    }

    @Test
    void embeddingIntoLstm() throws Exception {
        Seeds.set(46);
        Sequential model = new Sequential(new InputLayer(STEPS).name("sequence"), new Embedding(12, 5), new LSTM(4),
                new Dense(3, "softmax"));
        check("embedding+lstm", model, Transforms.floor(Nd4j.rand(DataType.FLOAT, 5, STEPS).muli(12)));
    }

    @Test
    void otherActivationIsNamed() {
        Sequential model = model(new Bidirectional(new GRU(3, "elu", "sigmoid")));
        Path file = dir.resolve("model.onnx");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.exportOnnx(file));

        assertTrue(e.getMessage().contains("\"elu\"") && e.getMessage().contains("bidirectional")
                && e.getMessage().contains("[relu, sigmoid, tanh]"), e.getMessage());
        assertFalse(Files.exists(file));
    }
}
