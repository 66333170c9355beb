package org.grad4j.models;

import static org.grad4j.models.SaveLoadTest.assertBitIdentical;
import static org.grad4j.models.SaveLoadTest.assertSameVariables;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.grad4j.layers.CategoryEncoding;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.layers.Normalization;
import org.grad4j.layers.Rescaling;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Preprocessing layers inside models: adapted statistics travel with the model file and the weights file, stay
 * fixed in fit, and the loaded model predicts and trains exactly as the original.
 */
class PreprocessingLayersTest {
    @TempDir
    Path dir;

    INDArray x;
    INDArray y;

    @BeforeEach
    void data() {
        Layer.resetNameCounters();
        Seeds.set(11);
        // features on very different scales, which is what Normalization is for
        x = Nd4j.rand(DataType.FLOAT, 64, 4).subi(0.5).muli(Nd4j.createFromArray(new float[] {1, 100, 0.01f, 10}))
                .addi(Nd4j.createFromArray(new float[] {5, -300, 0.2f, 40}));
        INDArray standardized = x.sub(x.mean(0)).divi(x.std(false, 0));
        y = standardized.mmul(Nd4j.createFromArray(new float[][] {{1}, {-2}, {0.5f}, {3}})).addi(0.25);
    }

    private Sequential normalizedModel() {
        Normalization norm = new Normalization();
        norm.adapt(x);
        return new Sequential(new InputLayer(4), norm, new Rescaling(0.5, 0.1), new Dense(1));
    }

    @Test
    void summaryCountsTheStatisticsAsKerasDoes() {
        Sequential model = normalizedModel();
        String summary = model.summaryString();
        assertTrue(summary.contains("│ normalization (Normalization)   │ (None, 4)              │             9 │"), summary);
        assertTrue(summary.contains("│ rescaling (Rescaling)           │ (None, 4)              │             0 │"), summary);
        // mean and variance 2 x 4 float32, count one int64: 40 bytes
        assertTrue(summary.contains(" Non-trainable params: 9 (40.00 B)"), summary);
        assertTrue(summary.contains(" Trainable params: 5 (20.00 B)"), summary);
        assertTrue(summary.contains(" Total params: 14 (60.00 B)"), summary);
    }

    @Test
    void fitTrainsTheDenseAndLeavesTheStatisticsAlone() {
        Sequential model = normalizedModel();
        Normalization norm = (Normalization) model.layers().get(0);
        INDArray mean = norm.mean();
        INDArray variance = norm.variance();
        INDArray kernel = model.layers().get(2).weights().get(0).array().dup();
        model.compile(new Adam(0.05), "mse");

        History history = model.fit(x, y, FitOptions.epochs(20).batchSize(16).verbose(0).seed(3));

        List<Double> loss = history.history().get("loss");
        assertTrue(loss.get(loss.size() - 1) < loss.get(0) / 4, "loss " + loss);
        assertBitIdentical(mean, norm.mean(), "mean after fit");
        assertBitIdentical(variance, norm.variance(), "variance after fit");
        assertFalse(kernel.equalsWithEps(model.layers().get(2).weights().get(0).array(), 0), "the Dense trained");
        assertEquals(List.of("dense/kernel:0", "dense/bias:0"),
                model.trainableVariables().stream().map(v -> v.name()).toList());
    }

    @Test
    void saveLoadPredictsAndTrainsBitIdentically() {
        Sequential model = normalizedModel();
        model.compile(new Adam(0.01), "mse");
        model.fit(x, y, FitOptions.epochs(2).batchSize(16).verbose(0).seed(5));
        Path file = dir.resolve("normalized.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        assertInstanceOf(Sequential.class, loaded);
        Normalization norm = (Normalization) loaded.layers().get(0);
        assertTrue(norm.isAdapted());
        assertBitIdentical(((Normalization) model.layers().get(0)).mean(), norm.mean(), "loaded mean");
        assertBitIdentical(((Normalization) model.layers().get(0)).variance(), norm.variance(), "loaded variance");
        assertEquals(0.5, ((Rescaling) loaded.layers().get(1)).scale());
        assertEquals(0.1, ((Rescaling) loaded.layers().get(1)).offset());
        assertBitIdentical(model.predict(x), loaded.predict(x), "predictions");

        model.fit(x, y, FitOptions.epochs(1).batchSize(16).verbose(0).shuffle(false));
        loaded.fit(x, y, FitOptions.epochs(1).batchSize(16).verbose(0).shuffle(false));
        assertSameVariables(model.variables(), loaded.variables());
        assertBitIdentical(model.predict(x), loaded.predict(x), "predictions after one more epoch");
    }

    @Test
    void weightsFilesCarryTheStatistics() {
        Sequential model = normalizedModel();
        Path file = dir.resolve("normalized.weights.npz");
        model.saveWeights(file);

        Normalization fresh = new Normalization();
        Sequential other = new Sequential(new InputLayer(4), fresh, new Rescaling(0.5, 0.1), new Dense(1));
        assertFalse(fresh.isAdapted());
        other.loadWeights(file);

        assertTrue(fresh.isAdapted());
        assertSameVariables(model.variables(), other.variables());
        assertBitIdentical(model.predict(x), other.predict(x), "predictions");
    }

    @Test
    void givenStatisticsTravelInTheConfig() {
        Normalization fixed = new Normalization(new double[] {5, -300, 0.2, 40}, new double[] {0.08, 833, 1e-5, 8.3});
        Sequential model = new Sequential(new InputLayer(4), fixed, new Dense(2, "tanh"), new Dense(1));
        assertEquals(0, fixed.countParams());
        Path file = dir.resolve("fixed.g4j");
        model.save(file);
        Model loaded = Model.load(file);
        assertBitIdentical(model.predict(x), loaded.predict(x), "predictions");
        assertArrayEquals(fixed.mean().toDoubleVector(), ((Normalization) loaded.layers().get(0)).mean().toDoubleVector());
    }

    @Test
    void anUnadaptedNormalizationInAModelIsNamed() {
        Sequential model = new Sequential(new InputLayer(4), new Normalization(), new Dense(1));
        model.compile(new Adam(0.01), "mse");
        var e = assertThrows(IllegalStateException.class, () -> model.predict(x));
        assertTrue(e.getMessage().contains("normalization (Normalization): the layer has no statistics yet; call adapt"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> model.fit(x, y, FitOptions.epochs(1).verbose(0)));
    }

    @Test
    void categoryEncodingModelsSaveLoadPredictAndTrain() {
        // 3 ids per sample out of 6 tokens; the target is how many of tokens 0..2 a sample has
        SplittableRandom random = new SplittableRandom(9);
        int n = 96;
        float[] ids = new float[n * 3];
        float[] target = new float[n];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(6);
        }
        Sequential model = new Sequential(new InputLayer(3), new CategoryEncoding(6, "count"), new Dense(1));
        INDArray xIds = Nd4j.create(ids, new long[] {n, 3}, 'c');
        INDArray counts = model.layers().get(0).apply(org.grad4j.core.Tensor.of(xIds)).array();
        for (int i = 0; i < n; i++) {
            target[i] = counts.getFloat(i, 0) + counts.getFloat(i, 1) + counts.getFloat(i, 2);
        }
        INDArray yCount = Nd4j.create(target, new long[] {n, 1}, 'c');
        assertTrue(model.summaryString().contains("│ category_encoding               │ (None, 6)              │             0 │"),
                model.summaryString());
        model.compile(new Adam(0.05), "mse");
        History history = model.fit(xIds, yCount, FitOptions.epochs(30).batchSize(16).verbose(0).seed(1));
        List<Double> loss = history.history().get("loss");
        assertTrue(loss.get(loss.size() - 1) < loss.get(0) / 10, "loss " + loss);

        Path file = dir.resolve("encoded.g4j");
        model.save(file);
        Model loaded = Model.load(file);
        CategoryEncoding encoding = (CategoryEncoding) loaded.layers().get(0);
        assertEquals(6, encoding.numTokens());
        assertEquals("count", encoding.outputMode());
        assertBitIdentical(model.predict(xIds), loaded.predict(xIds), "predictions");
        INDArray xb = xIds.get(NDArrayIndex.interval(0, 16));
        INDArray yb = yCount.get(NDArrayIndex.interval(0, 16));
        Map<String, Double> a = model.trainOnBatch(xb, yb);
        Map<String, Double> b = loaded.trainOnBatch(xb, yb);
        assertEquals(a, b);
        assertSameVariables(model.variables(), loaded.variables());
    }
}
