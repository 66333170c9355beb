package org.grad4j.models.saving;

import static org.grad4j.models.SaveLoadTest.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grad4j.core.Seeds;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Sequential;

/** saveWeights / loadWeights: an .npz of the variables, matched by position, checked in full before any is set. */
class SaveLoadWeightsTest {
    @TempDir
    Path dir;

    INDArray x;

    @BeforeEach
    void setUp() {
        Layer.resetNameCounters();
        Seeds.set(21);
        x = Nd4j.rand(DataType.FLOAT, 10, 4);
    }

    static Sequential model(int outputs) {
        return new Sequential(new InputLayer(4), new Dense(8, "relu"), new Dense(outputs));
    }

    @Test
    void weightsGoIntoAFreshModelOfTheSameArchitecture() throws IOException {
        Sequential source = model(1);
        source.compile("sgd", "mse").fit(x, Nd4j.rand(DataType.FLOAT, 10, 1), FitOptions.epochs(2).batchSize(5).verbose(0));
        Path file = dir.resolve("w.npz");

        source.saveWeights(file);
        Sequential target = model(1);   // dense_2, dense_3: other names, same structure
        target.loadWeights(file);

        assertBitIdentical(source.predict(x), target.predict(x), "predictions");
        try (InputStream in = Files.newInputStream(file)) {
            List<Npz.Entry> entries = Npz.read(in, "w.npz");
            assertEquals(List.of("dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"),
                    entries.stream().map(Npz.Entry::name).toList());
            for (int i = 0; i < entries.size(); i++) {
                assertBitIdentical(source.variables().get(i).array(), entries.get(i).array(), entries.get(i).name());
            }
        }
    }

    @Test
    void aShapeMismatchNamesTheVariableAndBothShapesAndChangesNothing() {
        Path file = dir.resolve("w.npz");
        model(1).saveWeights(file);
        Sequential target = model(2);   // only the last two variables differ: earlier ones must stay untouched too
        List<INDArray> before = target.getWeights();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadWeights(file));

        String last = target.variables().get(2).name();
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(last) && e.getMessage().contains("[8, 1]") && e.getMessage().contains("[8, 2]"),
                e.getMessage());
        List<Variable> after = target.variables();
        for (int i = 0; i < before.size(); i++) {
            assertBitIdentical(before.get(i), after.get(i).array(), after.get(i).name());
        }
    }

    @Test
    void aDifferentNumberOfWeightsIsReported() {
        Path file = dir.resolve("w.npz");
        model(1).saveWeights(file);
        Sequential deeper = new Sequential(new InputLayer(4), new Dense(8, "relu"), new Dense(1), new Dense(1));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> deeper.loadWeights(file));
        assertTrue(e.getMessage().contains("the file has 4 weights but the model has 6"), e.getMessage());
        assertTrue(e.getMessage().contains("missing from the file: " + deeper.variables().get(4).name()), e.getMessage());

        Sequential noBias = new Sequential(new InputLayer(4), new Dense(8, "relu").useBias(false), new Dense(1), new Dense(1));
        e = assertThrows(IllegalArgumentException.class, () -> noBias.loadWeights(file));
        assertTrue(e.getMessage().contains("dense/bias:0") && e.getMessage().contains("kernel:0"), e.getMessage());
    }

    @Test
    void float64ArraysFillAFloat32ModelButIntegersAreRefusedByType() throws IOException {
        Sequential target = model(1);
        List<Variable> vars = target.variables();
        Path file = dir.resolve("numpy.npz");
        List<Npz.Entry> doubles = vars.stream()
                .map(v -> new Npz.Entry(v.name(), Nd4j.rand(DataType.DOUBLE, v.shape()))).toList();
        try (OutputStream out = Files.newOutputStream(file)) {
            Npz.write(doubles, out, "test");
        }

        target.loadWeights(file);

        for (int i = 0; i < vars.size(); i++) {
            assertEquals(DataType.FLOAT, vars.get(i).array().dataType());
            assertBitIdentical(doubles.get(i).array().castTo(DataType.FLOAT), vars.get(i).array(), vars.get(i).name());
        }
        List<Npz.Entry> longs = vars.stream().map(v -> new Npz.Entry(v.name(), Nd4j.zeros(DataType.LONG, v.shape()))).toList();
        try (OutputStream out = Files.newOutputStream(file)) {
            Npz.write(longs, out, "test");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadWeights(file));
        assertTrue(e.getMessage().contains("numpy.npz entry \"" + vars.get(0).name() + "\" holds int64 values but the model's "
                + vars.get(0).name() + " is float32"), e.getMessage());
    }

    @Test
    void weightsComeFromAModelFileToo() {
        Sequential source = model(1);
        Path file = dir.resolve("m.g4j");
        source.save(file);
        Sequential target = model(1);

        target.loadWeights(file);

        assertBitIdentical(source.predict(x), target.predict(x), "predictions");
    }

    @Test
    void unbuiltModelsAndBadFilesAreRefused() throws IOException {
        Sequential unbuilt = new Sequential(new Dense(2));
        Path file = dir.resolve("w.npz");
        assertThrows(IllegalStateException.class, () -> unbuilt.saveWeights(file));
        model(1).saveWeights(file);
        assertThrows(IllegalStateException.class, () -> unbuilt.loadWeights(file));

        Sequential built = model(1);
        Path none = dir.resolve("none.npz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> built.loadWeights(none));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "weights: 1 2 3");
        e = assertThrows(IllegalArgumentException.class, () -> built.loadWeights(text));
        assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("not a zip"), e.getMessage());
    }
}
