package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.grad4j.core.Seeds;
import org.grad4j.data.Datasets;
import org.grad4j.data.Table;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Parameter averaging on the digits table reaches the accuracy of single-machine training. */
class ParameterAveragingTest {
    private static JavaSparkContext sc;
    private static INDArray xTrain;
    private static INDArray yTrain;
    private static INDArray xTest;
    private static INDArray yTest;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("local[2]", "ParameterAveragingTest");
        Table digits = Datasets.digits();
        int n = (int) digits.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(2024);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        INDArray x = Nd4j.pullRows(digits.features(), 1, order).div(16.0);   // pixels 0..16
        INDArray y = Nd4j.pullRows(digits.oneHotLabels(), 1, order);
        int train = n * 4 / 5;
        xTrain = LocalSpark.rows(x, 0, train);
        yTrain = LocalSpark.rows(y, 0, train);
        xTest = LocalSpark.rows(x, train, n);
        yTest = LocalSpark.rows(y, train, n);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static Model mlp() {
        Layer.resetNameCounters();
        Seeds.set(21);
        Model m = new Sequential(new InputLayer(64), new Dense(64, "relu"), new Dense(10));
        return m.compile(new Adam(0.003), new CategoricalCrossentropy(true), "accuracy");
    }

    @Test
    void averagingEveryEightStepsReachesSingleMachineAccuracyOnDigits() {
        int epochs = 8;
        Model single = mlp();
        single.fit(xTrain, yTrain, FitOptions.epochs(epochs).batchSize(32).seed(5).verbose(0));
        double singleAccuracy = single.evaluate(xTest, yTest).get("accuracy");

        Model distributed = mlp();
        History h = SparkTrainer.averaging(sc, distributed, 8)
                .fit(LocalSpark.dataSets(sc, xTrain, yTrain, 16, 2), FitOptions.epochs(epochs).batchSize(32).seed(5).verbose(0));
        double distributedAccuracy = distributed.evaluate(xTest, yTest).get("accuracy");

        System.out.printf("digits test accuracy: single machine %.4f, parameter averaging every 8 steps in local[2] %.4f%n",
                singleAccuracy, distributedAccuracy);
        assertTrue(singleAccuracy > 0.9, "single-machine accuracy " + singleAccuracy);
        assertTrue(distributedAccuracy >= singleAccuracy - 0.01, "averaging reached " + distributedAccuracy
                + " on the 360 test digits, single-machine training " + singleAccuracy);
        assertEquals(epochs, h.get("loss").size());
        assertTrue(h.get("loss").get(epochs - 1) < h.get("loss").get(0), "the loss falls: " + h.get("loss"));
        assertTrue(h.get("accuracy").get(epochs - 1) > 0.9, "training accuracy " + h.get("accuracy"));
        // ceil(1437 / 32) = 45 local steps an epoch on each worker, averaged into the driver's optimizer state
        assertEquals(45L * epochs, distributed.optimizer().iterations());
    }

    @Test
    void averagingAfterEveryStepOfSgdIsTheSynchronousStep() {
        // with plain SGD, one local step from the same weights then a sample-weighted average of the weights is
        // w - lr * (weighted mean of the partitions' gradients): the synchronous step, up to float rounding
        INDArray x = LocalSpark.rows(xTrain, 0, 256);
        INDArray y = LocalSpark.rows(yTrain, 0, 256);
        Model averaged = mlp().compile(new org.grad4j.optimizers.SGD(0.1), new CategoricalCrossentropy(true));
        Model synchronous = mlp().compile(new org.grad4j.optimizers.SGD(0.1), new CategoricalCrossentropy(true));
        FitOptions options = FitOptions.epochs(1).batchSize(64).seed(9).verbose(0);
        SparkTrainer.averaging(sc, averaged, 1).fit(LocalSpark.dataSets(sc, x, y, 32, 2), options);
        SparkTrainer.synchronous(sc, synchronous).fit(LocalSpark.dataSets(sc, x, y, 32, 2), options);
        for (int i = 0; i < averaged.getWeights().size(); i++) {
            double difference = averaged.getWeights().get(i).sub(synchronous.getWeights().get(i)).amaxNumber().doubleValue();
            assertTrue(difference < 1e-5, "weight " + i + " differs by " + difference);
        }
        assertEquals(4, averaged.optimizer().iterations());
    }

    @Test
    void frozenWeightsStayBitForBitUnderBothStrategies() {
        INDArray x = LocalSpark.rows(xTrain, 0, 192);
        INDArray y = LocalSpark.rows(yTrain, 0, 192);
        for (boolean synchronous : new boolean[] {true, false}) {
            Layer.resetNameCounters();
            Seeds.set(4);
            Dense frozen = new Dense(32, "relu");
            Model m = new Sequential(new InputLayer(64), frozen, new Dense(10));
            m.compile(new Adam(0.01), new CategoricalCrossentropy(true));
            m.build(64);
            frozen.setTrainable(false);
            float[] kernel = Nd4j.toFlattened(frozen.weights().get(0).array()).toFloatVector();
            INDArray head = m.getWeights().get(2).dup();
            SparkTrainer trainer = synchronous ? SparkTrainer.synchronous(sc, m) : SparkTrainer.averaging(sc, m, 2);
            trainer.fit(LocalSpark.dataSets(sc, x, y, 32, 2), FitOptions.epochs(1).batchSize(32).seed(1).verbose(0));
            org.junit.jupiter.api.Assertions.assertArrayEquals(kernel,
                    Nd4j.toFlattened(frozen.weights().get(0).array()).toFloatVector(), trainer.strategy());
            assertTrue(m.getWeights().get(2).sub(head).amaxNumber().doubleValue() > 0, "the trainable head moved");
            assertEquals(6, m.optimizer().iterations(), trainer.strategy());
        }
    }

    @Test
    void averagingNeedsAPositiveK() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.averaging(sc, mlp(), 0));
        assertEquals("SparkTrainer.averaging: everyKSteps must be >= 1, got 0", e.getMessage());
    }
}
