package org.grad4j.models;

import static org.grad4j.models.SaveLoadTest.assertBitIdentical;
import static org.grad4j.models.SaveLoadTest.assertSameVariables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Activation;
import org.grad4j.layers.ActivationFunction;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Initializers;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.Losses;
import org.grad4j.losses.LossFunctionWrapper;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A user's own layer and loss, registered by name, survive save and load; an unregistered one is named. */
class CustomObjectsSaveLoadTest {
    @TempDir
    Path dir;

    INDArray x;
    INDArray y;

    /** A user's layer with a weight of its own and a config key: {@code scale * inputs @ kernel}. */
    static class ScaledLinear extends Layer {
        final int units;
        final double scale;
        Variable kernel;

        ScaledLinear(int units, double scale) {
            this.units = units;
            this.scale = scale;
        }

        static ScaledLinear fromConfig(Map<String, Object> config) {
            return new ScaledLinear(((Number) config.get("units")).intValue(), ((Number) config.get("scale")).doubleValue());
        }

        @Override
        public void build(long... inputShape) {
            kernel = addWeight("kernel", new long[] {inputShape[inputShape.length - 1], units},
                    Initializers.glorotUniform(3), true);
            super.build(inputShape);
        }

        @Override
        public Tensor call(Tensor inputs, boolean training) {
            return inputs.matmul(kernel).mul(scale);
        }

        @Override
        public long[] computeOutputShape(long... inputShape) {
            return new long[] {inputShape[0], units};
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> config = super.config();
            config.put("units", units);
            config.put("scale", scale);
            return config;
        }
    }

    /** A user's loss: the squared error times a factor from its config. */
    static class ScaledSquaredError extends LossFunctionWrapper<ScaledSquaredError> {
        final double factor;

        ScaledSquaredError(double factor) {
            super("scaled_squared_error");
            this.factor = factor;
        }

        static ScaledSquaredError fromConfig(Map<String, Object> config) {
            return new ScaledSquaredError(((Number) config.get("factor")).doubleValue());
        }

        @Override
        protected Tensor perSample(Tensor yTrue, Tensor yPred) {
            return yPred.sub(yTrue).square().mean(false, -1).mul(factor);
        }

        @Override
        protected void addConfig(Map<String, Object> config) {
            config.put("factor", factor);
        }
    }

    /** Not registered anywhere. */
    static class Unlisted extends Layer {
        @Override
        public Tensor call(Tensor inputs, boolean training) {
            return inputs;
        }
    }

    @BeforeAll
    static void register() {
        Registry.layers().register("ScaledLinear", ScaledLinear::fromConfig);
        Registry.losses().register("ScaledSquaredError", ScaledSquaredError::fromConfig);
        Registry.activations().register("shifted_relu", config -> SHIFTED_RELU);
    }

    /** A user's activation: {@code relu(x) - 0.5}, registered by name. */
    static final ActivationFunction SHIFTED_RELU = ActivationFunction.of("shifted_relu", t -> t.relu().sub(0.5));

    /** The registries are global: leave them as other tests expect them (their "known" lists). */
    @AfterAll
    static void unregister() {
        Registry.layers().unregister("ScaledLinear");
        Registry.losses().unregister("ScaledSquaredError");
        Registry.activations().unregister("shifted_relu");
    }

    @BeforeEach
    void data() {
        Layer.resetNameCounters();
        Seeds.set(11);
        x = Nd4j.rand(DataType.FLOAT, 40, 4).subi(0.5);
        y = x.mmul(Nd4j.createFromArray(new float[][] {{1}, {-2}, {0.5f}, {3}})).addi(0.25);
    }

    @Test
    void aCustomLayerAndLossRoundTripAndTrainingContinues() {
        Sequential model = new Sequential(new InputLayer(4), new ScaledLinear(5, 0.5), new Dense(1));
        model.compile(new Adam(0.01), new ScaledSquaredError(2.0), "mae");
        model.fit(x, y, FitOptions.epochs(2).batchSize(8).shuffle(false).verbose(0));
        Path file = dir.resolve("custom.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        ScaledLinear layer = assertInstanceOf(ScaledLinear.class, loaded.getLayer(0));
        assertEquals(5, layer.units);
        assertEquals(0.5, layer.scale);
        assertEquals(model.getLayer(0).name() + "/kernel:0", layer.kernel.name());
        ScaledSquaredError loss = assertInstanceOf(ScaledSquaredError.class, loaded.loss());
        assertEquals(2.0, loss.factor);
        assertBitIdentical(model.predict(x), loaded.predict(x), "predictions");

        INDArray xb = x.get(NDArrayIndex.interval(0, 8));
        INDArray yb = y.get(NDArrayIndex.interval(0, 8));
        assertEquals(model.trainOnBatch(xb, yb), loaded.trainOnBatch(xb, yb), "the next step's loss and metrics");
        assertSameVariables(model.variables(), loaded.variables());
        assertSameVariables(model.optimizer().variables(), loaded.optimizer().variables());
    }

    @Test
    void aCustomActivationByNameRoundTripsInDenseAndActivation() {
        Sequential model = new Sequential(new InputLayer(4), new Dense(8, "shifted_relu"), new Activation("Shifted_ReLU"),
                new Dense(1));
        model.compile(new Adam(0.01), "mse");
        model.fit(x, y, FitOptions.epochs(1).batchSize(8).shuffle(false).verbose(0));
        Path file = dir.resolve("custom-activation.g4j");

        model.save(file);
        Model loaded = Model.load(file);

        assertEquals(SHIFTED_RELU, assertInstanceOf(Dense.class, loaded.getLayer(0)).activation());
        assertEquals(SHIFTED_RELU, assertInstanceOf(Activation.class, loaded.getLayer(1)).activation());
        assertBitIdentical(model.predict(x), loaded.predict(x), "predictions");
        float[] hidden = new Dense(8, "shifted_relu").activation().apply(Tensor.of(new float[] {-1f, 2f}, 2)).toFloatArray();
        assertEquals(-0.5f, hidden[0]);
        assertEquals(1.5f, hidden[1]);
    }

    @Test
    void registeredLossesAreFoundByNameToo() {
        assertInstanceOf(ScaledSquaredError.class, Losses.fromConfig("ScaledSquaredError", Map.of("factor", 3.0)));
        var e = assertThrows(IllegalArgumentException.class, () -> Losses.get("scaled"));
        assertTrue(e.getMessage().contains("ScaledSquaredError"), "the known list includes users' names: " + e.getMessage());
    }

    @Test
    void aFileNamingAnUnregisteredClassSaysHowToRegisterIt() {
        Sequential model = new Sequential(new InputLayer(4), new Unlisted(), new Dense(1));
        Path file = dir.resolve("unlisted.g4j");
        model.save(file);

        var e = assertThrows(IllegalArgumentException.class, () -> Model.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("unknown layer class \"Unlisted\""), e.getMessage());
        assertTrue(e.getMessage().contains("Registry.layers().register(\"Unlisted\", Unlisted::fromConfig)"), e.getMessage());
    }

    @Test
    void aFileNamingAnUnregisteredLossSaysHowToRegisterIt() {
        Sequential model = new Sequential(new InputLayer(4), new Dense(1));
        model.compile(new Adam(0.01), new UnlistedLoss());
        model.build(4);
        Path file = dir.resolve("unlisted-loss.g4j");
        model.save(file);

        var e = assertThrows(IllegalArgumentException.class, () -> Model.load(file));
        assertTrue(e.getMessage().contains("unknown loss class \"UnlistedLoss\""), e.getMessage());
        assertTrue(e.getMessage().contains("Registry.losses().register(\"UnlistedLoss\", UnlistedLoss::fromConfig)"),
                e.getMessage());
        assertInstanceOf(Sequential.class, Model.load(file, false), "without compile it loads");
    }

    static class UnlistedLoss extends LossFunctionWrapper<UnlistedLoss> {
        UnlistedLoss() {
            super("unlisted_loss");
        }

        @Override
        protected Tensor perSample(Tensor yTrue, Tensor yPred) {
            return yPred.sub(yTrue).abs().mean(false, -1);
        }
    }
}
