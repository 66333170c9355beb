package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.models.saving.G4jFormatCorruptTest;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.layers.Layers;
import org.grad4j.losses.BinaryCrossentropy;
import org.grad4j.metrics.Metric;
import org.grad4j.metrics.Precision;
import org.grad4j.optimizers.Adam;
import org.grad4j.optimizers.Nadam;
import org.grad4j.optimizers.Optimizer;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * save / load round trips: predictions identical, and the next training step after loading equal bit for bit to
 * the step the unsaved model takes (which needs the optimizer's slots and iteration count back).
 */
public class SaveLoadTest {
    @TempDir
    Path dir;

    INDArray x;
    INDArray y;

    @BeforeEach
    void data() {
        Layer.resetNameCounters();
        Seeds.set(7);
        x = Nd4j.rand(DataType.FLOAT, 40, 4).subi(0.5);
        y = x.mmul(Nd4j.createFromArray(new float[][] {{1}, {-2}, {0.5f}, {3}})).addi(0.25);
    }

    /** A subclassed model whose layers are fields, rebuilt through its no-argument constructor. */
    static class TwoLayer extends Model {
        final Dense hidden = track(new Dense(8, "tanh"));
        final Dense out = track(new Dense(1));

        @Override
        public Tensor call(Tensor inputs, boolean training) {
            return out.call(hidden.call(inputs, training), training);
        }
    }

    public static void assertBitIdentical(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(expected.dup('c').data().asBytes(), actual.dup('c').data().asBytes(), what);
    }

    static void assertSameVariables(List<Variable> expected, List<Variable> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertBitIdentical(expected.get(i).array(), actual.get(i).array(), expected.get(i).name());
        }
    }

    /** Predictions equal; then one more step on each model gives bit-identical weights and optimizer state. */
    private void assertNextStepMatches(Model original, Model loaded) {
        assertBitIdentical(original.predict(x), loaded.predict(x), "predictions");
        INDArray xb = x.get(NDArrayIndex.interval(0, 8));
        INDArray yb = y.get(NDArrayIndex.interval(0, 8));
        Map<String, Double> a = original.trainOnBatch(xb, yb);
        Map<String, Double> b = loaded.trainOnBatch(xb, yb);
        assertEquals(a, b);
        assertSameVariables(original.variables(), loaded.variables());
        assertSameVariables(original.optimizer().variables(), loaded.optimizer().variables());
        assertBitIdentical(original.predict(x), loaded.predict(x), "predictions after the step");
    }

    @Test
    void compiledTrainedSequentialContinuesExactlyWhereItStopped() {
        Sequential model = new Sequential(new InputLayer(4), new Dense(8, "relu"), new Dense(1));
        model.compile(new Adam(0.01), "mse", "mae");
        model.fit(x, y, FitOptions.epochs(3).batchSize(8).verbose(0).seed(3));
        Path file = dir.resolve("m.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        assertInstanceOf(Sequential.class, loaded);
        assertEquals(model.name(), loaded.name());
        assertEquals(model.variables().stream().map(Variable::name).toList(),
                loaded.variables().stream().map(Variable::name).toList());
        assertEquals(15, loaded.optimizer().iterations());
        assertNotEquals(0.0, loaded.optimizer().variables().get(1).array().sumNumber().doubleValue(),
                "the Adam slots carry training history");
        assertNextStepMatches(model, loaded);
    }

    @Test
    void subclassedModelIsRecreatedFromItsClassAndContinuesExactly() {
        TwoLayer model = new TwoLayer();
        model.compile(new Adam(0.02), "mse");
        model.fit(x, y, FitOptions.epochs(2).batchSize(8).verbose(0).seed(5));
        Path file = dir.resolve("two.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        assertInstanceOf(TwoLayer.class, loaded);
        assertTrue(loaded.isBuilt());
        assertArrayEquals(new long[] {-1, 4}, loaded.buildInputShape());
        assertEquals(model.name(), loaded.name());
        assertNextStepMatches(model, loaded);
    }

    /** A model that needs constructor arguments: recreated by the factory registered under its class name. */
    static class Scaled extends Model {
        final int units;
        final Dense dense;

        Scaled(int units) {
            this.units = units;
            this.dense = track(new Dense(units));
        }

        @Override
        public Tensor call(Tensor inputs, boolean training) {
            return dense.call(inputs, training).mul(2.0);
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> config = super.config();
            config.put("units", units);
            return config;
        }
    }

    @Test
    void aModelWithoutNoArgConstructorUsesTheRegisteredFactory() {
        Layers.register("Scaled", config -> new Scaled(((Number) config.get("units")).intValue()));
        Scaled model = new Scaled(3);
        model.build(4);
        Path file = dir.resolve("scaled.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        assertInstanceOf(Scaled.class, loaded);
        assertEquals(3, ((Scaled) loaded).units);
        assertBitIdentical(model.predict(x), loaded.predict(x), "predictions");
    }

    static class Unregistered extends Model {
        final Dense dense;

        Unregistered(int units) {
            this.dense = track(new Dense(units));
        }

        @Override
        public Tensor call(Tensor inputs, boolean training) {
            return dense.call(inputs, training);
        }
    }

    @Test
    void aModelThatCannotBeRecreatedIsNamedWithWhatToDo() {
        Unregistered model = new Unregistered(2);
        model.build(4);
        Path file = dir.resolve("unregistered.g4j");
        model.save(file);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(Unregistered.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("no-argument constructor"), e.getMessage());
        assertTrue(e.getMessage().contains("Layers.register(\"Unregistered\""), e.getMessage());
    }

    static boolean notAModelInitialized;

    /** Named by a doctored file: must not even be initialized, let alone constructed. */
    static class NotAModel {
        static {
            notAModelInitialized = true;
        }
    }

    @Test
    void onlySubclassesOfModelAreCreatedFromTheClassNamedInTheFile() throws IOException {
        TwoLayer model = new TwoLayer();
        model.build(4);
        Path file = dir.resolve("doctored.g4j");
        model.save(file);
        Path doctored = dir.resolve("evil.g4j");
        Path missing = dir.resolve("missing.g4j");
        rewriteModule(file, doctored, NotAModel.class.getName());
        rewriteModule(file, missing, "org.example.Gone");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(doctored));
        assertTrue(e.getMessage().contains(NotAModel.class.getName() + " is not a subclass of org.grad4j.models.Model"),
                e.getMessage());
        assertFalse(notAModelInitialized);
        e = assertThrows(IllegalArgumentException.class, () -> Model.load(missing));
        assertTrue(e.getMessage().contains("org.example.Gone is not on the class path"), e.getMessage());
    }

    /** Copies a model file, replacing the Java class its config.json names. */
    private static void rewriteModule(Path from, Path to, String javaClass) throws IOException {
        Map<String, byte[]> entries = G4jFormatCorruptTest.unzip(Files.readAllBytes(from));
        String config = new String(entries.get("config.json"), StandardCharsets.UTF_8)
                .replace(TwoLayer.class.getName(), javaClass);
        entries.put("config.json", config.getBytes(StandardCharsets.UTF_8));
        Files.write(to, G4jFormatCorruptTest.zip(entries));
    }

    @Test
    void uncompiledModelLoadsUncompiledWithItsWeights() {
        Sequential model = new Sequential(new Dense(3, "relu"), new Dense(2));
        model.build(4);
        Path file = dir.resolve("plain.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        assertFalse(loaded.isCompiled());
        assertArrayEquals(new long[] {-1, 4}, loaded.buildInputShape());
        assertSameVariables(model.variables(), loaded.variables());
        assertBitIdentical(model.predict(x), loaded.predict(x), "predictions");
    }

    @Test
    void compileConfigComesBackWithHyperParametersLossAndMetricNames() {
        Sequential model = new Sequential(new InputLayer(4), new Dense(1));
        Optimizer sgd = new SGD(0.05, 0.9, true).clipNorm(1.5);
        Metric precision = new Precision().name("p");
        model.compile(sgd, new BinaryCrossentropy(true), "accuracy", "mae", precision);
        Path file = dir.resolve("compiled.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        assertTrue(loaded.isCompiled());
        assertInstanceOf(SGD.class, loaded.optimizer());
        assertEquals(sgd.config(), loaded.optimizer().config());
        assertInstanceOf(BinaryCrossentropy.class, loaded.loss());
        assertTrue(((BinaryCrossentropy) loaded.loss()).fromLogits());
        assertEquals(model.metrics().stream().map(Metric::name).toList(), loaded.metrics().stream().map(Metric::name).toList());
        assertEquals(List.of("accuracy", "mae", "p"), loaded.metrics().stream().map(Metric::name).toList());
        assertEquals(model.metrics().stream().map(Metric::config).toList(),
                loaded.metrics().stream().map(Metric::config).toList());
        assertEquals(0, loaded.optimizer().iterations());

        Model uncompiled = Model.load(file, false);
        assertFalse(uncompiled.isCompiled());
    }

    @Test
    void accuracyNotYetResolvedStaysUnresolved() {
        Sequential model = new Sequential(new InputLayer(4), new Dense(1));
        model.compile("sgd", "mse", "accuracy");   // resolved from shapes on the first batch
        Path file = dir.resolve("pending.g4j");
        model.save(file);

        Model loaded = Model.load(file);
        loaded.fit(x, y, FitOptions.epochs(1).batchSize(40).verbose(0));
        model.fit(x, y, FitOptions.epochs(1).batchSize(40).verbose(0));

        assertEquals(model.history().history().keySet(), loaded.history().history().keySet());
        assertTrue(loaded.history().history().containsKey("accuracy"));
    }

    @Test
    void frozenLayersBatchNormStatisticsAndNadamStateSurvive() {
        Dense frozen = new Dense(6, "relu");
        Sequential model = new Sequential(new InputLayer(4), frozen, new BatchNormalization(), new Dense(1));
        frozen.setTrainable(false);
        model.compile(new Nadam(0.01), "mse");
        model.fit(x, y, FitOptions.epochs(2).batchSize(8).verbose(0).seed(11));
        Path file = dir.resolve("bn.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        assertFalse(loaded.getLayer(0).trainable());
        assertEquals(model.trainableVariables().size(), loaded.trainableVariables().size());
        assertSameVariables(model.nonTrainableVariables(), loaded.nonTrainableVariables());
        assertNextStepMatches(model, loaded);
    }

    @Test
    void sequentialNestingASubclassedModelRoundTrips() {
        Sequential model = new Sequential(new InputLayer(4), new TwoLayer(), new Dense(2));
        Path file = dir.resolve("nested.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        assertInstanceOf(TwoLayer.class, loaded.getLayer(0));
        assertBitIdentical(model.predict(x), loaded.predict(x), "predictions");
    }

    @Test
    void savingAgainReplacesTheFile() {
        Sequential model = new Sequential(new InputLayer(4), new Dense(1));
        model.compile(new SGD(0.1), "mse");
        Path file = dir.resolve("again.g4j");
        model.save(file);
        model.fit(x, y, FitOptions.epochs(1).batchSize(8).verbose(0));
        model.save(file);

        Model loaded = Model.load(file);
        assertEquals(5, loaded.optimizer().iterations());
        assertSameVariables(model.variables(), loaded.variables());
    }
}
