package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.List;
import org.grad4j.core.Seeds;
import org.grad4j.optimizers.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.grad4j.layers.Bidirectional;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Embedding;
import org.grad4j.layers.GRU;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.Layer;
import org.grad4j.layers.SimpleRNN;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recurrent layers in models: Keras 3's summary (shapes, parameter counts), fit, save and load. */
class RecurrentModelTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(5);
    }

    private static String row(String layer, String shape, String params) {
        return String.format("│ %-31s │ %-22s │ %13s │%n", layer, shape, params);
    }

    @Test
    void anLstmModelCountsAsKeras() {
        // LSTM(64) on 10 features: 4 * (64 * (10 + 64) + 64); GRU(16) with reset_after adds 3 * 16 per direction
        Sequential model = new Sequential(new InputLayer(5, 10), new LSTM(64).returnSequences(true),
                new Bidirectional(new GRU(16)), new Dense(1));
        String text = model.summaryString();
        assertTrue(text.contains(row("lstm (LSTM)", "(None, 5, 64)", "19,200")), text);
        assertTrue(text.contains(row("bidirectional (Bidirectional)", "(None, 32)", "7,872")), text);
        assertTrue(text.contains(row("dense (Dense)", "(None, 1)", "33")), text);
        assertTrue(text.endsWith("""
                 Total params: 27,105 (105.88 KB)
                 Trainable params: 27,105 (105.88 KB)
                 Non-trainable params: 0 (0.00 B)
                """), text);
    }

    @Test
    void anEmbeddingLstmClassifierCountsAsKeras() {
        // Embedding(1000, 64): 64,000; LSTM(128) on 64 features: 4 * (128 * (64 + 128) + 128) = 98,816; Dense(10): 1,290
        Sequential model = new Sequential(new InputLayer(20), new Embedding(1000, 64), new LSTM(128), new Dense(10));
        String text = model.summaryString();
        assertTrue(text.contains(row("embedding (Embedding)", "(None, 20, 64)", "64,000")), text);
        assertTrue(text.contains(row("lstm (LSTM)", "(None, 128)", "98,816")), text);
        assertTrue(text.contains(row("dense (Dense)", "(None, 10)", "1,290")), text);
        assertTrue(text.contains(" Total params: 164,106 (641.04 KB)\n"), text);
        assertEquals(164_106, model.countParams());
    }

    @Test
    void aRecurrentStackTrainsAndPredicts() {
        Sequential model = new Sequential(new InputLayer(4, 3), new SimpleRNN(8).returnSequences(true), new GRU(4),
                new Dense(1));
        // SimpleRNN(8) on 3 features: 3*8 + 8*8 + 8; GRU(4) on 8: 3 * (4 * (8 + 4) + 4) + 3 * 4; Dense: 4 + 1
        assertEquals(96 + 168 + 5, model.countParams());
        String text = model.summaryString();
        assertTrue(text.contains(row("simple_rnn (SimpleRNN)", "(None, 4, 8)", "96")), text);
        assertTrue(text.contains(row("gru (GRU)", "(None, 4)", "168")), text);

        // the sum of the first feature over the steps: a task only a recurrence can do
        Nd4j.getRandom().setSeed(42);
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 4, 3).subi(0.5);
        INDArray y = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).sum(true, 1);
        model.compile(new Adam(0.02), "mse");
        History history = model.fit(x, y, FitOptions.epochs(30).batchSize(16).seed(1).verbose(0));
        List<Double> loss = history.get("loss");
        assertTrue(loss.get(loss.size() - 1) < 0.3 * loss.get(0), loss.toString());
        assertArrayEquals(new long[] {64, 1}, model.predict(x).shape());
    }

    @Test
    void savedAndLoadedModelsPredictTheSame(@TempDir Path dir) throws Exception {
        Sequential model = new Sequential(new InputLayer(6, 4), new Bidirectional(new LSTM(5).returnSequences(true), "ave"),
                new GRU(3).resetAfter(false).goBackwards(true), new Dense(2));
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 6, 4);
        INDArray before = model.predict(x);
        Path file = dir.resolve("rnn.g4j");
        model.save(file);
        Model loaded = Model.load(file);
        assertEquals(before, loaded.predict(x));
        assertEquals(model.weights().stream().map(v -> v.name()).toList(), loaded.weights().stream().map(v -> v.name()).toList());
    }
}
