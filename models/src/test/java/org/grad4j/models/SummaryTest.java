package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The summary table as Keras 3 prints it where the terminal is 80 columns or unknown (as in logs):
 * column widths 33, 24 and 15 with rich's box characters, then the parameter counts with their sizes.
 */
class SummaryTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(3);
    }

    @Test
    void theSeedModelsTable() {
        Sequential model = new Sequential(new InputLayer(9), new Dense(64, "relu"), new Dense(64, "relu"), new Dense(1));
        String expected = """
                Model: "sequential"
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
                ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
                │ dense (Dense)                   │ (None, 64)             │           640 │
                ├─────────────────────────────────┼────────────────────────┼───────────────┤
                │ dense_1 (Dense)                 │ (None, 64)             │         4,160 │
                ├─────────────────────────────────┼────────────────────────┼───────────────┤
                │ dense_2 (Dense)                 │ (None, 1)              │            65 │
                └─────────────────────────────────┴────────────────────────┴───────────────┘
                 Total params: 4,865 (19.00 KB)
                 Trainable params: 4,865 (19.00 KB)
                 Non-trainable params: 0 (0.00 B)
                """;
        assertEquals(expected, model.summaryString());
        assertEquals(expected, TestData.captureOut(model::summary));
    }

    @Test
    void aFrozenLayersParamsAreNonTrainable() {
        Sequential model = new Sequential(new InputLayer(9), new Dense(64, "relu"), new Dense(64, "relu"), new Dense(1));
        model.getLayer("dense_1").setTrainable(false);
        String text = model.summaryString();
        assertTrue(text.contains("│ dense_1 (Dense)                 │ (None, 64)             │         4,160 │\n"), text);
        assertTrue(text.endsWith("""
                 Total params: 4,865 (19.00 KB)
                 Trainable params: 705 (2.75 KB)
                 Non-trainable params: 4,160 (16.25 KB)
                """), text);
    }

    @Test
    void batchNormalizationStatisticsAreNonTrainableParams() {
        Sequential model = new Sequential(new InputLayer(4), new Dense(8), new BatchNormalization(), new Dense(1));
        String text = model.summaryString();
        // gamma, beta, moving mean and moving variance: 4 x 8 in the layer's row, 16 of them trainable
        assertTrue(text.contains("│ batch_normalization             │ (None, 8)              │            32 │\n"), text);
        assertTrue(text.contains("│ (BatchNormalization)"), "the long name is wrapped or cut: " + text);
        assertTrue(text.endsWith("""
                 Total params: 81 (324.00 B)
                 Trainable params: 65 (260.00 B)
                 Non-trainable params: 16 (64.00 B)
                """), text);
    }

    @Test
    void afterTrainingTheOptimizerStateIsCountedAsKeras3Does() {
        Sequential model = new Sequential(new InputLayer(1), new Dense(1));
        model.compile(new Adam(0.01), "mse");
        assertTrue(model.summaryString().endsWith(" Non-trainable params: 0 (0.00 B)\n"), () -> "no optimizer state before a step: " + model.summaryString());
        model.fit(Nd4j.ones(DataType.FLOAT, 4, 1), Nd4j.ones(DataType.FLOAT, 4, 1), FitOptions.epochs(1).verbose(0));
        // Adam: the int64 iteration counter (8 bytes) plus m and v for the kernel and the bias (4 floats)
        assertTrue(model.summaryString().endsWith("""
                 Total params: 7 (32.00 B)
                 Trainable params: 2 (8.00 B)
                 Non-trainable params: 0 (0.00 B)
                 Optimizer params: 5 (24.00 B)
                """), model.summaryString());
    }

    @Test
    void anUnbuiltModelHasNoSummary() {
        Sequential model = new Sequential(new Dense(64, "relu"), new Dense(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, model::summaryString);
        assertTrue(e.getMessage().contains("sequential") && e.getMessage().contains("not built")
                && e.getMessage().contains("build("), e.getMessage());
        model.build(9);
        assertTrue(model.summaryString().contains(" Total params: 705 (2.75 KB)\n"), model.summaryString());
    }

    static final class TwoLayer extends Model {
        final Dense hidden = track(new Dense(16, "relu"));
        final Dense out = track(new Dense(1));

        @Override
        public Tensor call(Tensor x, boolean training) {
            return out.apply(hidden.apply(x, training), training);
        }
    }

    @Test
    void aSubclassedModelListsItsLayers() {
        TwoLayer model = new TwoLayer();
        model.build(4);
        String text = model.summaryString();
        assertTrue(text.startsWith("Model: \"two_layer\"\n"), text);
        assertTrue(text.contains("│ dense (Dense)                   │"), text);
        assertTrue(text.contains("│            80 │\n") && text.contains("│            17 │\n"), text);
        assertTrue(text.endsWith("""
                 Total params: 97 (388.00 B)
                 Trainable params: 97 (388.00 B)
                 Non-trainable params: 0 (0.00 B)
                """), text);
    }

    @Test
    void readableSizesUse1024AndTwoDecimals() {
        assertEquals("0.00 B", Summary.readableSize(0));
        assertEquals("1023.00 B", Summary.readableSize(1023));
        assertEquals("1.00 KB", Summary.readableSize(1024));
        assertEquals("19.00 KB", Summary.readableSize(4865 * 4));
        assertEquals("1.50 MB", Summary.readableSize(3 * 512 * 1024));
        assertEquals("(None, 64)", Summary.kerasShape(new long[] {-1, 64}));
        assertEquals("(None,)", Summary.kerasShape(new long[] {-1}));
    }
}
