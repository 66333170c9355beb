package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.models.callbacks.CSVLogger;
import org.grad4j.models.callbacks.EarlyStopping;
import org.grad4j.models.callbacks.LambdaCallback;
import org.grad4j.models.callbacks.ModelCheckpoint;
import org.grad4j.models.callbacks.ReduceLROnPlateau;
import org.grad4j.models.callbacks.TerminateOnNaN;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/** The models section of shared/API.md, compiled and run as written there. */
class ModelsApiContractTest {

    /** The subclassing snippet of API.md, verbatim. */
    static class TwoLayer extends Model {
        final Dense hidden = track(new Dense(16, "relu")), out = track(new Dense(1));
        @Override public Tensor call(Tensor x, boolean training) { return out.call(hidden.call(x, training), training); }
    }

    @Test
    void modelsSection(@TempDir Path dir) {
        Layer.resetNameCounters();
        Seeds.set(7);
        Sequential model = new Sequential(new InputLayer(9), new Dense(64, "relu"), new Dense(1));
        model.add(new Dense(1));   model.build(9);   model.summary();   String s = model.summaryString();
        List<Variable> vs = model.trainableVariables();
        assertTrue(s.contains("Total params: 707"), s);
        assertEquals("dense/kernel:0", vs.get(0).name());
        assertArrayEquals(new long[] {9, 64}, vs.get(0).shape());

        INDArray x = Nd4j.rand(DataType.FLOAT, 60, 9);
        INDArray labels = Nd4j.argMax(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)), 1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 60, 3);
        for (int i = 0; i < 60; i++) {
            y.putScalar(i, labels.getInt(i), 1f);
        }
        INDArray xVal = x.dup();
        INDArray yVal = y.dup();
        Sequential classifier = new Sequential(new InputLayer(9), new Dense(16, "relu"), new Dense(3));
        History history = classifier
            .compile(new Adam(0.01), new CategoricalCrossentropy(true), "accuracy")  // returns the model
            .fit(x, y, FitOptions.epochs(5).batchSize(128).validationData(xVal, yVal).validationFreq(2).verbose(0));
        Map<String, List<Double>> h = history.history();
        assertEquals(5, h.get("loss").size());
        assertEquals(2, h.get("val_accuracy").size());

        Sequential regressor = new Sequential(new Dense(4, "relu"), new Dense(1));
        regressor.compile("adam", "mse", "mae");
        INDArray yr = x.sum(true, 1);
        regressor.fit(x, yr, 2, 32);
        Map<String, Double> scores = regressor.evaluate(x, yr);
        assertTrue(scores.containsKey("loss") && scores.containsKey("mae"), scores.toString());
        INDArray p = regressor.predict(x);
        assertArrayEquals(new long[] {60, 1}, p.shape());
        DataSetIterator it = new SingletonDataSetIterator(new DataSet(x, yr));
        regressor.fit(it, FitOptions.epochs(3).verbose(0));

        Path file = dir.resolve("m.g4j");
        regressor.save(file);   Model m = Model.load(file);
        assertEquals(regressor.predict(x), m.predict(x));
        Path weights = dir.resolve("w.npz");
        regressor.saveWeights(weights);  m.loadWeights(weights);
        assertTrue(Files.exists(weights));

        TwoLayer two = new TwoLayer();
        two.compile("sgd", "mse");
        two.fit(x, yr, FitOptions.epochs(1).verbose(0).callbacks(new EarlyStopping(), new TerminateOnNaN(),
                new ReduceLROnPlateau(), new CSVLogger(dir.resolve("log.csv")), new ModelCheckpoint(dir.resolve("c.g4j")),
                new LambdaCallback()));
        assertEquals(2, two.layers().size());
    }
}
