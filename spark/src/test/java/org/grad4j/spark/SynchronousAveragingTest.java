package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/** Synchronous gradient averaging in local[2] is the single-process step on the same global batches. */
class SynchronousAveragingTest {
    private static final int N = 400;
    private static final int FEATURES = 12;
    private static final int CLASSES = 3;
    private static JavaSparkContext sc;
    private static INDArray x;
    private static INDArray y;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("local[2]", "SynchronousAveragingTest");
        // three noisy classes: labels from a fixed random linear map, so the MLP has something to learn
        Nd4j.getRandom().setSeed(11);
        x = Nd4j.randn(DataType.FLOAT, N, FEATURES);
        INDArray scores = x.mmul(Nd4j.randn(DataType.FLOAT, FEATURES, CLASSES));
        INDArray ids = Nd4j.argMax(scores, 1);
        y = Nd4j.zeros(DataType.FLOAT, N, CLASSES);
        for (int i = 0; i < N; i++) {
            y.putScalar(i, ids.getInt(i), 1f);
        }
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static Model mlp(long seed) {
        Layer.resetNameCounters();
        Seeds.set(seed);
        Model m = new Sequential(new InputLayer(FEATURES), new Dense(32, "relu"), new Dense(16, "relu"), new Dense(CLASSES));
        return m.compile(new Adam(0.01), new CategoricalCrossentropy(true), "accuracy");
    }

    private static double maxAbsDifference(List<INDArray> a, List<INDArray> b) {
        assertEquals(a.size(), b.size());
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(java.util.Arrays.toString(a.get(i).shape()), java.util.Arrays.toString(b.get(i).shape()));
            max = Math.max(max, a.get(i).sub(b.get(i)).amaxNumber().doubleValue());
        }
        return max;
    }

    @Test
    void fiftyStepsOfAdamMatchSingleProcessTrainingOnTheSameGlobalBatches() {
        // 2 partitions of 200 rows (10 DataSets of 20 each), global batch 40: each step takes 20 rows of each
        // partition, in order; 10 steps an epoch, 5 epochs = 50 steps
        JavaRDD<DataSet> rdd = LocalSpark.dataSets(sc, x, y, 20, 2);
        Model distributed = mlp(5);
        Model single = mlp(5);
        distributed.build(FEATURES);
        single.build(FEATURES);
        assertEquals(0.0, maxAbsDifference(distributed.getWeights(), single.getWeights()));

        History h = SparkTrainer.synchronous(sc, distributed)
                .fit(rdd, FitOptions.epochs(5).batchSize(40).shuffle(false).verbose(0));

        List<Double> losses = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        for (int epoch = 0; epoch < 5; epoch++) {
            double loss = 0;
            double accuracy = 0;
            for (int step = 0; step < 10; step++) {
                INDArray xb = Nd4j.concat(0, LocalSpark.rows(x, 20 * step, 20 * step + 20),
                        LocalSpark.rows(x, 200 + 20 * step, 200 + 20 * step + 20));
                INDArray yb = Nd4j.concat(0, LocalSpark.rows(y, 20 * step, 20 * step + 20),
                        LocalSpark.rows(y, 200 + 20 * step, 200 + 20 * step + 20));
                Map<String, Double> logs = single.trainOnBatch(xb, yb);
                loss += logs.get("loss") / 10;
                accuracy += logs.get("accuracy") / 10;
            }
            losses.add(loss);
            accuracies.add(accuracy);
        }

        assertEquals(50, distributed.optimizer().iterations());
        assertEquals(50, single.optimizer().iterations());
        double difference = maxAbsDifference(distributed.getWeights(), single.getWeights());
        assertTrue(difference < 1e-5, "weights differ by " + difference);
        assertEquals(List.of(0, 1, 2, 3, 4), h.epochs());
        for (int epoch = 0; epoch < 5; epoch++) {
            assertEquals(losses.get(epoch), h.get("loss").get(epoch), 1e-5, "loss of epoch " + epoch);
            assertEquals(accuracies.get(epoch), h.get("accuracy").get(epoch), 1e-9, "accuracy of epoch " + epoch);
        }
        assertTrue(h.get("loss").get(4) < h.get("loss").get(0), "the loss falls: " + h.get("loss"));
    }

    @Test
    void rowsOfFeaturesAndLabelsTrainLikeDataSets() {
        List<Tuple2<float[], float[]>> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            rows.add(new Tuple2<>(x.getRow(i).toFloatVector(), y.getRow(i).toFloatVector()));
        }
        Model fromRows = mlp(8);
        Model fromDataSets = mlp(8);
        FitOptions options = FitOptions.epochs(1).batchSize(80).seed(3).verbose(0);
        SparkTrainer.synchronous(sc, fromRows).fitRows(sc.parallelize(rows, 2), options);
        SparkTrainer.synchronous(sc, fromDataSets).fit(LocalSpark.dataSets(sc, x, y, 1, 2), options);
        assertEquals(0.0, maxAbsDifference(fromRows.getWeights(), fromDataSets.getWeights()));
        assertEquals(5, fromRows.optimizer().iterations());
    }

    @Test
    void validationRunsOnTheDriverEveryValidationFreqEpochs() {
        Model m = mlp(9);
        History h = SparkTrainer.synchronous(sc, m).fit(LocalSpark.dataSets(sc, x, y, 50, 2),
                FitOptions.epochs(4).batchSize(100).validationData(x, y).validationFreq(2).verbose(0));
        assertEquals(List.of(1, 3), h.epochsOf("val_loss"));
        assertEquals(m.evaluate(x, y, 100).get("loss"), h.get("val_loss").get(1), 1e-6);
        assertEquals(4, h.get("learning_rate").size());
    }

    @Test
    void badInputFailsBeforeAnyWeightChanges() {
        Model m = mlp(10);
        m.build(FEATURES);
        List<INDArray> before = m.getWeights();
        INDArray wide = Nd4j.randn(DataType.FLOAT, 40, FEATURES + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.synchronous(sc, m)
                .fit(LocalSpark.dataSets(sc, wide, y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 40),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(), 10, 2), FitOptions.epochs(1).verbose(0)));
        assertTrue(e.getMessage().startsWith("SparkTrainer.fit: the data does not suit"), e.getMessage());
        assertTrue(e.getMessage().contains("13"), e.getMessage());
        assertEquals(0.0, maxAbsDifference(before, m.getWeights()));
        assertEquals(0, m.optimizer().iterations());

        IllegalArgumentException split = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.synchronous(sc, m)
                .fit(LocalSpark.dataSets(sc, x, y, 10, 2), FitOptions.epochs(1).validationSplit(0.2)));
        assertTrue(split.getMessage().contains("validationSplit 0.2"), split.getMessage());

        List<DataSet> masked = new ArrayList<>(List.of(new DataSet(LocalSpark.rows(x, 0, 10), LocalSpark.rows(y, 0, 10)),
                new DataSet(LocalSpark.rows(x, 10, 20), LocalSpark.rows(y, 10, 20))));
        masked.get(1).setLabelsMaskArray(Nd4j.ones(DataType.FLOAT, 10, 1));
        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.synchronous(sc, m)
                .fit(sc.parallelize(masked, 2), FitOptions.epochs(1)));
        assertEquals("SparkTrainer.fit: DataSet 0 of partition 1 has a labels mask; SparkTrainer trains on features and "
                + "labels only: drop the masked samples first", mask.getMessage());
        assertEquals(0.0, maxAbsDifference(before, m.getWeights()));

        Model uncompiled = new Sequential(new InputLayer(FEATURES), new Dense(3));
        IllegalStateException notCompiled = assertThrows(IllegalStateException.class, () -> SparkTrainer.synchronous(sc,
                uncompiled).fit(LocalSpark.dataSets(sc, x, y, 10, 2), FitOptions.epochs(1)));
        assertTrue(notCompiled.getMessage().contains("must be compiled first"), notCompiled.getMessage());
    }
}
