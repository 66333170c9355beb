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
}
