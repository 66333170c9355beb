package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.losses.Loss;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.optimizers.Adam;
import org.grad4j.optimizers.Optimizer;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bad calls fail with a message naming the place and the values, before any weight or optimizer state
 * changes. Each case also checks that nothing moved: the weights' bits, the optimizer's iterations and
 * its state, and the model's history.
 */
class FitErrorsTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(41);
    }

    /** Runs {@code bad}, expects {@code type} with every fragment in the message, and checks that nothing changed. */
    private static <T extends Throwable> String failsCleanly(Model model, Class<T> type, Executable bad, String... fragments) {
        List<Integer> weights = TestData.bits(model.getWeights());
        long iterations = model.isCompiled() ? model.optimizer().iterations() : -1;
        int optimizerVariables = model.isCompiled() ? model.optimizer().variables().size() : -1;
        History history = model.history();
        T e = assertThrows(type, bad);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + fragment + "\" is not in: " + e.getMessage());
        }
        assertEquals(weights, TestData.bits(model.getWeights()), "weights changed");
        if (model.isCompiled()) {
            assertEquals(iterations, model.optimizer().iterations(), "the optimizer stepped");
            assertEquals(optimizerVariables, model.optimizer().variables().size(), "the optimizer created state");
        }
        assertSame(history, model.history());
        return e.getMessage();
    }

    private static INDArray ones(long... shape) {
        return Nd4j.ones(DataType.FLOAT, shape);
    }

    private static Sequential regression(int inputs) {
        Sequential model = new Sequential(new InputLayer(inputs), new Dense(4, "relu"), new Dense(1));
        model.compile(new Adam(0.01), "mse");
        return model;
    }

    private static Sequential classifier(org.grad4j.losses.Loss loss) {
        Sequential model = new Sequential(new InputLayer(2), new Dense(3));
        model.compile(new Adam(0.01), loss);
        return model;
    }

    @Test
    void fitBeforeCompile() {
        Sequential model = new Sequential(new InputLayer(3), new Dense(1));
        failsCleanly(model, IllegalStateException.class, () -> model.fit(ones(4, 3), ones(4, 1), FitOptions.epochs(1)),
                "sequential (Sequential).fit", "compiled first", "compile(");
        failsCleanly(model, IllegalStateException.class, () -> model.evaluate(ones(4, 3), ones(4, 1)), "compiled first");
        failsCleanly(model, IllegalStateException.class, () -> model.trainOnBatch(ones(4, 3), ones(4, 1)), "compiled first");
        failsCleanly(model, IllegalStateException.class, model::optimizer, "compiled first");
    }

    @Test
    void sampleCountsDiffer() {
        Sequential model = regression(3);
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(ones(100, 3), ones(99, 1), FitOptions.epochs(1).verbose(0)),
                "fit: x has 100 samples but y has 99", "[100, 3]", "[99, 1]");
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(ones(10, 3), ones(10, 1), FitOptions.epochs(1).validationData(ones(5, 3), ones(4, 1))),
                "validationData", "x has 5 samples but y has 4");
        failsCleanly(model, IllegalArgumentException.class, () -> model.evaluate(ones(7, 3), ones(6, 1)),
                "evaluate: x has 7 samples but y has 6");
    }

    @Test
    void noSamplesOrNoArrays() {
        Sequential model = regression(3);
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(null, ones(2, 1), FitOptions.epochs(1).verbose(0)), "fit: x is null");
        failsCleanly(model, IllegalArgumentException.class, () -> model.predict((INDArray) null), "x is null");
    }

    @Test
    void inputWidthDoesNotMatchTheInputLayer() {
        Sequential model = regression(9);
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(ones(100, 8), ones(100, 1), FitOptions.epochs(1).verbose(0)),
                "fit: x of shape [100, 8]", "input_layer (InputLayer)", "must be 9", "[-1, 9]");
        failsCleanly(model, IllegalArgumentException.class, () -> model.predict(ones(5, 8)), "input_layer", "9", "[5, 8]");
        failsCleanly(model, IllegalArgumentException.class, () -> model.evaluate(ones(5, 8), ones(5, 1)),
                "evaluate: x of shape [5, 8]", "input_layer", "must be 9");
    }

    @Test
    void inputWidthDoesNotMatchABuiltDense() {
        Sequential model = new Sequential(new Dense(4, "relu"), new Dense(1));
        model.build(9);
        model.compile(new SGD(0.1), "mse");
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(ones(10, 8), ones(10, 1), FitOptions.epochs(1).verbose(0)),
                "fit: x of shape [10, 8]", "dense (Dense)", "must be 9", "[9, 4]");
    }

    @Test
    void sparseLabelsForCategoricalCrossentropy() {
        Sequential model = classifier(new CategoricalCrossentropy(true));
        INDArray x = ones(6, 2);
        INDArray sparse = Nd4j.createFromArray(0f, 1f, 2f, 0f, 1f, 2f);
        failsCleanly(model, IllegalArgumentException.class, () -> model.fit(x, sparse, FitOptions.epochs(1).verbose(0)),
                "CategoricalCrossentropy", "one-hot", "[6, 3]", "[6]", "SparseCategoricalCrossentropy");
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(x, sparse.reshape(6, 1), FitOptions.epochs(1).verbose(0)), "SparseCategoricalCrossentropy");
    }

    @Test
    void oneHotLabelsForSparseCategoricalCrossentropy() {
        Sequential model = classifier(new SparseCategoricalCrossentropy(true));
        INDArray oneHot = Nd4j.eye(3).castTo(DataType.FLOAT);
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(ones(3, 2), oneHot, FitOptions.epochs(1).verbose(0)),
                "SparseCategoricalCrossentropy", "integer class labels", "[3, 3]", "use CategoricalCrossentropy");
    }

    @Test
    void labelsOutOfRange() {
        Sequential model = classifier(new SparseCategoricalCrossentropy(true));
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(ones(4, 2), Nd4j.createFromArray(0f, 1f, 3f, 2f), FitOptions.epochs(1).verbose(0)),
                "3 classes", "0 .. 2", "3.0");
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(ones(4, 2), Nd4j.createFromArray(0f, -1f, 1f, 2f), FitOptions.epochs(1).verbose(0)),
                "-1.0", "0 .. 2");
        // a bad label beyond the first batch is found too
        float[] labels = new float[70];
        labels[69] = 5;
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(ones(70, 2), Nd4j.createFromArray(labels), FitOptions.epochs(1).verbose(0)), "5.0");
    }

    @Test
    void badValidationLabelsFailBeforeTraining() {
        Sequential model = classifier(new SparseCategoricalCrossentropy(true));
        failsCleanly(model, IllegalArgumentException.class,
                () -> model.fit(ones(4, 2), Nd4j.createFromArray(0f, 1f, 2f, 0f), FitOptions.epochs(1).verbose(0)
                        .validationData(ones(2, 2), Nd4j.createFromArray(0f, 7f))),
                "validationData", "7.0");
    }

    @Test
    void batchSizeMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(1).batchSize(0));
        assertTrue(e.getMessage().contains("batchSize must be > 0, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(1).batchSize(-3));
        Sequential model = regression(2);
        failsCleanly(model, IllegalArgumentException.class, () -> model.fit(ones(4, 2), ones(4, 1), 1, 0),
                "batchSize must be > 0, got 0");
        failsCleanly(model, IllegalArgumentException.class, () -> model.evaluate(ones(4, 2), ones(4, 1), 0),
                "evaluate", "batchSize must be > 0, got 0");
        failsCleanly(model, IllegalArgumentException.class, () -> model.predict(ones(4, 2), -1),
                "predict", "batchSize must be > 0, got -1");
    }

    @Test
    void validationSplitMustBeBetweenZeroAndOne() {
        for (double bad : new double[] {0, 1, -0.2, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FitOptions.epochs(1).validationSplit(bad));
            assertTrue(e.getMessage().contains("validationSplit must be in (0, 1), got " + bad), e.getMessage());
        }
        assertEquals(0.25, FitOptions.epochs(1).validationSplit(0.25).validationSplit());
    }

    @Test
    void otherOptionsAreCheckedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(-1));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(1).validationFreq(0));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(1).verbose(3));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(1).initialEpoch(-1));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(1).validationData(null, ones(1, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.epochs(1).classWeight(java.util.Map.of(0, -1.0)));
        assertTrue(e.getMessage().contains("classWeight"), e.getMessage());
    }

    @Test
    void unknownNamesInCompileListTheKnownOnes() {
        Sequential model = regression(2);
        Optimizer before = model.optimizer();
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile("adamm", "mse"),
                "unknown optimizer \"adamm\"", "sgd", "adam", "rmsprop");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile("adam", "msee"),
                "unknown loss \"msee\"", "mse", "categorical_crossentropy");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile("adam", "mse", "accuracyy"),
                "unknown metric \"accuracyy\"", "accuracy", "mae");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile(new SGD(0.1), "mse", "mae", "mae"),
                "two metrics are named \"mae\"");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile(new SGD(0.1), "mse", 42),
                "a metric must be a Metric or a Keras name", "42");
        assertSame(before, model.optimizer(), "a failed compile keeps the previous one");
        assertInstanceOf(Adam.class, model.optimizer());
    }

    /** A null optimizer or loss is named as null in every overload, not looked up as the name "null". */
    @Test
    void nullsInCompileSayTheyAreNull() {
        Sequential model = regression(2);
        Optimizer before = model.optimizer();
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile((String) null, (String) null),
                "compile: optimizer is null");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile((String) null, "mse"),
                "compile: optimizer is null");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile("adam", (String) null),
                "compile: loss is null");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile((Optimizer) null, (Loss) null),
                "compile: optimizer is null");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile(new SGD(0.1), (Loss) null),
                "compile: loss is null");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile((String) null, new MeanSquaredError()),
                "compile: optimizer is null");
        failsCleanly(model, IllegalArgumentException.class, () -> model.compile(new SGD(0.1), (String) null),
                "compile: loss is null");
        assertSame(before, model.optimizer(), "a failed compile keeps the previous one");
    }

    @Test
    void anUncompiledModelStaysUncompiledAfterABadCompile() {
        Sequential model = new Sequential(new InputLayer(2), new Dense(1));
        assertThrows(IllegalArgumentException.class, () -> model.compile("adam", "mse", "nope"));
        assertFalse(model.isCompiled());
        assertThrows(IllegalArgumentException.class, () -> model.compile((Optimizer) null, "mse"));
        assertFalse(model.isCompiled());
        assertNull(model.history());
    }
}
