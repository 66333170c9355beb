package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.BinaryCrossentropy;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.losses.Loss;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.metrics.BinaryAccuracy;
import org.grad4j.metrics.CategoricalAccuracy;
import org.grad4j.metrics.Metric;
import org.grad4j.metrics.SparseCategoricalAccuracy;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Classification end to end, and which accuracy {@code "accuracy"} becomes. */
class ClassificationTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(17);
    }

    @Test
    void binaryClassificationOfTwoGaussians() {
        // means (-1, -1) and (3, 3) with unit variance: the best line errs on 0.2% of samples
        TestData.Set train = TestData.twoGaussians(600, 2, 1);
        TestData.Set test = TestData.twoGaussians(400, 2, 2);
        Sequential model = new Sequential(new InputLayer(2), new Dense(1));
        model.compile(new Adam(0.05), new BinaryCrossentropy(true), "accuracy");

        Metric accuracy = model.metrics().get(0);
        assertEquals("accuracy", accuracy.name());
        // the model outputs logits, so "accuracy" thresholds at logit 0 (probability 0.5)
        assertEquals(0.0, assertInstanceOf(BinaryAccuracy.class, accuracy).threshold());

        History history = model.fit(train.x(), train.y(), FitOptions.epochs(10).batchSize(32).seed(3).verbose(0));
        assertEquals(List.of("loss", "accuracy", "learning_rate"), List.copyOf(history.history().keySet()));
        double trained = history.get("accuracy").get(9);
        assertTrue(trained >= 0.95, "last epoch's accuracy " + trained);

        Map<String, Double> scores = model.evaluate(test.x(), test.y());
        assertTrue(scores.get("accuracy") >= 0.95, "evaluate: " + scores);

        // the same accuracy by hand: a logit above 0 means class 1
        INDArray logits = model.predict(test.x());
        int right = 0;
        for (int i = 0; i < test.labels().length; i++) {
            right += (logits.getDouble(i, 0) > 0 ? 1 : 0) == test.labels()[i] ? 1 : 0;
        }
        assertEquals((double) right / test.labels().length, scores.get("accuracy"), 1e-9);
    }

    @Test
    void threeClassesWithValidationEverySecondEpoch() {
        TestData.Set train = TestData.threeClusters(300, 4);
        TestData.Set val = TestData.threeClusters(150, 5);
        Sequential model = new Sequential(new InputLayer(2), new Dense(16, "relu"), new Dense(3));
        model.compile(new Adam(0.01), new CategoricalCrossentropy(true), "accuracy");
        assertInstanceOf(CategoricalAccuracy.class, model.metrics().get(0));

        History history = model.fit(train.x(), train.y(), FitOptions.epochs(6).batchSize(32).seed(8)
                .validationData(val.x(), val.y()).validationFreq(2).verbose(0));

        assertEquals(Set.of("loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"),
                history.history().keySet());
        assertEquals(6, history.get("loss").size());
        assertEquals(6, history.get("accuracy").size());
        assertEquals(3, history.get("val_loss").size());
        assertEquals(3, history.get("val_accuracy").size());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), history.epochsOf("loss"));
        assertEquals(List.of(1, 3, 5), history.epochsOf("val_loss"));
        assertEquals(List.of(1, 3, 5), history.epochsOf("val_accuracy"));
        assertEquals(List.of(0.01, 0.01, 0.01, 0.01, 0.01, 0.01), history.get("learning_rate"));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), history.epochs());

        // the last validation ran after the last epoch, with the final weights
        Map<String, Double> scores = model.evaluate(val.x(), val.y());
        assertEquals(scores.get("loss"), history.get("val_loss").get(2), 1e-12);
        assertEquals(scores.get("accuracy"), history.get("val_accuracy").get(2), 1e-12);
        assertTrue(scores.get("accuracy") >= 0.95, "validation accuracy " + scores);
        assertTrue(history.get("val_loss").get(2) < history.get("val_loss").get(0), history.get("val_loss").toString());
    }

    @Test
    void sparseLabelsGetSparseAccuracy() {
        TestData.Set train = TestData.threeClusters(240, 6);
        Sequential model = new Sequential(new InputLayer(2), new Dense(3));
        model.compile(new Adam(0.05), new SparseCategoricalCrossentropy(true), "accuracy");
        assertInstanceOf(SparseCategoricalAccuracy.class, model.metrics().get(0));
        History history = model.fit(train.x(), TestData.sparse(train.labels()), FitOptions.epochs(5).seed(1).verbose(0));
        assertTrue(history.get("accuracy").get(4) >= 0.95, history.get("accuracy").toString());
        // labels as a column [n, 1] are sparse too
        Map<String, Double> scores = model.evaluate(train.x(), TestData.sparse(train.labels()).reshape(-1, 1));
        assertTrue(scores.get("accuracy") >= 0.95, scores.toString());
    }

    @Test
    void accuracyByName() {
        Sequential model = new Sequential(new InputLayer(2), new Dense(3));
        model.compile("adam", "categorical_crossentropy", "acc");
        assertInstanceOf(CategoricalAccuracy.class, model.metrics().get(0));
        assertEquals("acc", model.metrics().get(0).name());
        model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
        assertInstanceOf(SparseCategoricalAccuracy.class, model.metrics().get(0));
        model.compile("adam", "binary_crossentropy", "accuracy");
        // probabilities: Keras' 0.5
        assertEquals(0.5, assertInstanceOf(BinaryAccuracy.class, model.metrics().get(0)).threshold());
    }

    /** With a loss that does not say, the shapes of the first batch decide, as in Keras. */
    @Test
    void otherLossesResolveAccuracyByShapes() {
        TestData.Set three = TestData.threeClusters(40, 9);

        Sequential oneOutput = new Sequential(new InputLayer(2), new Dense(1));
        oneOutput.compile(new Adam(0.01), new MeanSquaredError(), "accuracy");
        oneOutput.evaluate(three.x(), TestData.twoGaussians(40, 1, 1).y());
        assertEquals(0.5, assertInstanceOf(BinaryAccuracy.class, only(oneOutput)).threshold());

        Sequential oneHot = new Sequential(new InputLayer(2), new Dense(3));
        oneHot.compile(new Adam(0.01), new MeanSquaredError(), "accuracy");
        oneHot.evaluate(three.x(), three.y());
        assertInstanceOf(CategoricalAccuracy.class, only(oneHot));

        // a custom loss on class indices [n] against three outputs: fewer label axes mean sparse
        Sequential sparse = new Sequential(new InputLayer(2), new Dense(3));
        Loss custom = (yTrue, yPred) -> yPred.sub(yTrue.reshape(-1, 1)).square().mean();
        sparse.compile(new Adam(0.01), custom, "accuracy");
        History history = sparse.fit(three.x(), TestData.sparse(three.labels()), FitOptions.epochs(1).verbose(0));
        assertInstanceOf(SparseCategoricalAccuracy.class, only(sparse));
        assertEquals(1, history.get("accuracy").size());
    }

    private static Metric only(Model model) {
        assertEquals(1, model.metrics().size(), model.metrics().toString());
        assertEquals("accuracy", model.metrics().get(0).name());
        return model.metrics().get(0);
    }

    /** Per-step classes: x [batch, steps, features] through one Dense to logits [batch, steps, classes], or [batch, classes, steps]. */
    static final class StepClassifier extends Model {
        final Dense out = track(new Dense(4));
        final boolean classesFirst;

        StepClassifier(boolean classesFirst) {
            this.classesFirst = classesFirst;
        }

        @Override
        public org.grad4j.core.Tensor call(org.grad4j.core.Tensor x, boolean training) {
            long steps = x.shape()[1];
            org.grad4j.core.Tensor logits = out.apply(x.reshape(-1, x.shape()[2]), training).reshape(-1, steps, 4);
            return classesFirst ? logits.transpose(0, 2, 1) : logits;
        }
    }

    /** SparseCategoricalCrossentropy.axis(1): labels [batch, steps] against logits [batch, classes, steps] train like the last axis. */
    @Test
    void sparseLabelsWithTheClassAxisInTheMiddle() {
        int n = 24;
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        double[] xs = new double[n * 2 * 3];
        double[] ys = new double[n * 2];
        for (int i = 0; i < ys.length; i++) {
            int c = random.nextInt(4);
            ys[i] = c;
            for (int f = 0; f < 3; f++) {
                xs[i * 3 + f] = (f == c % 3 ? 2 : 0) + (c == 3 ? -1 : 0) + random.nextGaussian() * 0.3;
            }
        }
        INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(xs).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .reshape(n, 2, 3);
        INDArray y = org.nd4j.linalg.factory.Nd4j.createFromArray(ys).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .reshape(n, 2);
        StepClassifier last = new StepClassifier(false);
        StepClassifier middle = new StepClassifier(true);
        last.build(2, 3);
        middle.build(2, 3);
        middle.setWeights(last.getWeights());
        last.compile(new Adam(0.05), new SparseCategoricalCrossentropy(true));
        middle.compile(new Adam(0.05), new SparseCategoricalCrossentropy(true).axis(1));
        FitOptions options = FitOptions.epochs(3).batchSize(8).shuffle(false).verbose(0);
        History a = last.fit(x, y, options);
        History b = middle.fit(x, y, options);
        for (int e = 0; e < 3; e++) {
            assertEquals(a.get("loss").get(e), b.get("loss").get(e), 1e-5);
        }
        assertTrue(b.get("loss").get(2) < b.get("loss").get(0), b.get("loss").toString());
        for (int i = 0; i < last.getWeights().size(); i++) {
            assertTrue(last.getWeights().get(i).equalsWithEps(middle.getWeights().get(i), 1e-5));
        }
    }
}
