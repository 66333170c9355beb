package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Add;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Layer;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The acceptance test: a model of two inputs and two outputs with a shared layer and a skip connection
 * trains, saves, loads and predicts identically, and its summary has Keras 3's functional layout. The expected
 * tables are written from Keras' rules (summary_utils: 76 columns at fractions 0.30/0.56/0.74/1.0, "Connected
 * to" as {@code layer[node][tensor]} joined by ", ", rich's even shrinking for the borders and word wrap).
 */
class FunctionalAcceptanceTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(17);
    }

    /** a, b -> shared dense on each -> add -> concatenate with a (skip) -> out_reg; add -> out_cls. */
    static Functional twoInTwoOut() {
        Tensor a = Input.of(new long[] {4}, "a");
        Tensor b = Input.of(new long[] {4}, "b");
        Dense shared = new Dense(8, "relu");
        Tensor merged = new Add().apply(List.of(shared.apply(a), shared.apply(b)));
        Tensor skip = new Concatenate().apply(List.of(merged, a));
        Tensor reg = new Dense(1).name("out_reg").apply(skip);
        Tensor cls = new Dense(3).name("out_cls").apply(merged);
        return new Functional(List.of(a, b), List.of(reg, cls));
    }

    @Test
    void summaryHasKerasFunctionalLayout() {
        String expected = "Model: \"functional\"\n"
                + "┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓\n"
                + "┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃\n"
                + "┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩\n"
                + "│ a (InputLayer)      │ (None, 4)         │          0 │ -                 │\n"
                + "├─────────────────────┼───────────────────┼────────────┼───────────────────┤\n"
                + "│ b (InputLayer)      │ (None, 4)         │          0 │ -                 │\n"
                + "├─────────────────────┼───────────────────┼────────────┼───────────────────┤\n"
                + "│ dense (Dense)       │ (None, 8)         │         40 │ a[0][0], b[0][0]  │\n"
                + "├─────────────────────┼───────────────────┼────────────┼───────────────────┤\n"
                + "│ add (Add)           │ (None, 8)         │          0 │ dense[0][0],      │\n"
                + "│                     │                   │            │ dense[1][0]       │\n"
                + "├─────────────────────┼───────────────────┼────────────┼───────────────────┤\n"
                + "│ concatenate         │ (None, 12)        │          0 │ add[0][0],        │\n"
                + "│ (Concatenate)       │                   │            │ a[0][0]           │\n"
                + "├─────────────────────┼───────────────────┼────────────┼───────────────────┤\n"
                + "│ out_reg (Dense)     │ (None, 1)         │         13 │ concatenate[0][0] │\n"
                + "├─────────────────────┼───────────────────┼────────────┼───────────────────┤\n"
                + "│ out_cls (Dense)     │ (None, 3)         │         27 │ add[0][0]         │\n"
                + "└─────────────────────┴───────────────────┴────────────┴───────────────────┘\n"
                + " Total params: 80 (320.00 B)\n"
                + " Trainable params: 80 (320.00 B)\n"
                + " Non-trainable params: 0 (0.00 B)\n";
        assertEquals(expected, twoInTwoOut().summaryString());
    }

    @Test
    void aChainIsSummarisedWithTheSequentialColumns() {
        Tensor x = Input.of(new long[] {4}, "x");
        Tensor h = new Dense(8).apply(x);
        Model chain = Model.of(x, new Dense(1).apply(h));
        String expected = "Model: \"functional\"\n"
                + "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
                + "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
                + "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
                + "│ x (InputLayer)                  │ (None, 4)              │             0 │\n"
                + "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
                + "│ dense (Dense)                   │ (None, 8)              │            40 │\n"
                + "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
                + "│ dense_1 (Dense)                 │ (None, 1)              │             9 │\n"
                + "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
                + " Total params: 49 (196.00 B)\n"
                + " Trainable params: 49 (196.00 B)\n"
                + " Non-trainable params: 0 (0.00 B)\n";
        assertEquals(expected, chain.summaryString());
    }

    private static INDArray values(long... shape) {
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
    }

    @Test
    void trainsSavesLoadsAndPredictsIdentically() throws Exception {
        Functional model = twoInTwoOut();
        model.compile(new Adam(0.01), Map.of("out_reg", "mse", "out_cls", new SparseCategoricalCrossentropy(true)),
                Map.of("out_reg", 1.0, "out_cls", 0.5), Map.of("out_reg", List.of("mae"), "out_cls", List.of("accuracy")));
        INDArray xa = values(64, 4);
        INDArray xb = values(64, 4);
        INDArray yReg = xa.sum(true, 1).subi(xb.sum(true, 1));
        INDArray yCls = Nd4j.argMax(xa.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)), 1).castTo(DataType.FLOAT);
        Map<String, INDArray> x = Map.of("a", xa, "b", xb);
        Map<String, INDArray> y = Map.of("out_reg", yReg, "out_cls", yCls);
        List<Double> loss = model.fit(x, y, FitOptions.epochs(20).batchSize(16).verbose(0)).history().get("loss");
        assertTrue(loss.get(19) < 0.7 * loss.get(0), loss.toString());

        Path file = dir.resolve("two.g4j");
        model.save(file);
        Model loaded = Model.load(file);
        assertTrue(loaded instanceof Functional, loaded.getClass().getName());
        Functional back = (Functional) loaded;
        assertEquals(model.inputNames(), back.inputNames());
        assertEquals(model.outputNames(), back.outputNames());
        List<INDArray> before = model.predictAll(List.of(xa, xb));
        List<INDArray> after = back.predictAll(x);
        for (int i = 0; i < 2; i++) {
            assertEquals(before.get(i), after.get(i));   // exact
        }
        assertEquals(model.summaryString(), back.summaryString());
        assertEquals(model.evaluate(x, y), back.evaluate(x, y));
        // the optimizer state came back too: one more epoch moves both models the same way
        FitOptions more = FitOptions.epochs(1).batchSize(16).shuffle(false).verbose(0);
        model.fit(x, y, more);
        back.fit(x, y, more);
        for (int i = 0; i < model.variables().size(); i++) {
            assertEquals(model.variables().get(i).array(), back.variables().get(i).array(), model.variables().get(i).name());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void configIsKerasFunctionalForm() {
        Map<String, Object> config = twoInTwoOut().config();
        assertEquals(List.of(List.of("a", 0, 0), List.of("b", 0, 0)), config.get("input_layers"));
        assertEquals(List.of(List.of("out_reg", 0, 0), List.of("out_cls", 0, 0)), config.get("output_layers"));
        List<Map<String, Object>> layers = (List<Map<String, Object>>) config.get("layers");
        assertEquals(List.of("a", "b", "dense", "add", "concatenate", "out_reg", "out_cls"),
                layers.stream().map(l -> l.get("name")).toList());
        Map<String, Object> dense = layers.get(2);
        assertEquals("Dense", dense.get("class_name"));
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) dense.get("inbound_nodes");
        assertEquals(2, nodes.size());   // the shared layer's two calls
        Map<String, Object> arg = (Map<String, Object>) ((List<Object>) nodes.get(1).get("args")).get(0);
        assertEquals("__keras_tensor__", arg.get("class_name"));
        assertEquals(List.of("b", 0, 0), ((Map<String, Object>) arg.get("config")).get("keras_history"));
        // a merge layer's argument is one list of tensors
        List<Object> addArgs = (List<Object>) ((List<Map<String, Object>>) layers.get(3).get("inbound_nodes")).get(0).get("args");
        assertEquals(1, addArgs.size());
        assertEquals(2, ((List<Object>) addArgs.get(0)).size());
        assertEquals(List.of(), layers.get(0).get("inbound_nodes"));
    }
}
