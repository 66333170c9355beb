package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * fit on an iterator honours a DataSet's per-sample labels mask ({@code [batch]} or {@code [batch, 1]}) as
 * DL4J does: a masked sample counts for nothing in the loss, its gradient and the metrics, whatever its
 * labels hold. Per-timestep masks and feature masks that are not all ones are refused before any step.
 */
class LabelMaskTest {
    private static final int BATCHES = 3;
    private static final int VALID = 7;
    private static final int GARBAGE = 3;

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(91);
    }

    private static Sequential model() {
        Sequential model = new Sequential(new InputLayer(2), new Dense(8, "relu"), new Dense(3));
        model.compile(new SGD(0.1), new CategoricalCrossentropy(true), "accuracy");
        return model;
    }

    /** Rows {@code from..to} of a. */
    private static INDArray rows(INDArray a, int from, int to) {
        return Batches.rows(a, from, to).dup();
    }

    /**
     * The same three batches of 7 good samples twice: on their own, and each mixed with 3 garbage samples
     * (wild inputs, labels from {@code garbageLabel}) that a labels mask of {@code maskShape} leaves out.
     */
    private static List<List<DataSet>> cleanAndMasked(Supplier<double[]> garbageLabel, boolean column) {
        TestData.Set data = TestData.threeClusters(BATCHES * VALID, 7);
        SplittableRandom random = new SplittableRandom(8);
        List<DataSet> clean = new ArrayList<>();
        List<DataSet> masked = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            INDArray x = rows(data.x(), b * VALID, (b + 1) * VALID);
            INDArray y = rows(data.y(), b * VALID, (b + 1) * VALID);
            clean.add(new DataSet(x, y));
            int n = VALID + GARBAGE;
            double[] xs = new double[n * 2];
            double[] ys = new double[n * 3];
            double[] mask = new double[n];
            int good = 0;
            for (int i = 0; i < n; i++) {
                boolean garbage = i % 3 == 1 && i / 3 < GARBAGE;   // rows 1, 4, 7
                double[] label = garbage ? garbageLabel.get() : y.getRow(good).toDoubleVector();
                for (int f = 0; f < 2; f++) {
                    xs[i * 2 + f] = garbage ? random.nextDouble(-50, 50) : x.getDouble(good, f);
                }
                System.arraycopy(label, 0, ys, i * 3, 3);
                mask[i] = garbage ? 0 : 1;
                if (!garbage) {
                    good++;
                }
            }
            INDArray labelsMask = Nd4j.createFromArray(mask).castTo(DataType.FLOAT);
            masked.add(new DataSet(TestData.floats(xs, n, 2), TestData.floats(ys, n, 3), null,
                    column ? labelsMask.reshape(n, 1) : labelsMask));
        }
        return List.of(clean, masked);
    }

    private static void assertSameTraining(List<DataSet> clean, List<DataSet> masked) {
        Sequential dropped = model();
        Sequential withMask = model();
        withMask.setWeights(dropped.getWeights());
        FitOptions options = FitOptions.epochs(3).verbose(0);
        History a = dropped.fit(TestData.iterator(clean), options);
        History b = withMask.fit(TestData.iterator(masked), options);
        for (int e = 0; e < 3; e++) {
            assertEquals(a.get("loss").get(e), b.get("loss").get(e), 1e-6, "loss of epoch " + e);
            assertEquals(a.get("accuracy").get(e), b.get("accuracy").get(e), 1e-9, "accuracy of epoch " + e);
        }
        List<INDArray> wa = dropped.getWeights();
        List<INDArray> wb = withMask.getWeights();
        for (int i = 0; i < wa.size(); i++) {
            assertTrue(wa.get(i).equalsWithEps(wb.get(i), 1e-6), "weight " + i + ": " + wa.get(i) + " vs " + wb.get(i));
        }
    }

    @Test
    void maskedSamplesTrainAndScoreLikeDroppedOnes() {
        // wrong but well-formed labels: without the mask they would pull the weights elsewhere
        List<List<DataSet>> sets = cleanAndMasked(() -> new double[] {0, 0, 1}, false);
        assertSameTraining(sets.get(0), sets.get(1));
    }

    @Test
    void aColumnMaskWorksTooAndMaskedLabelsMayBeAnything() {
        double[][] junk = {{Double.NaN, 0, 1}, {1e9, -1e9, 5}, {Double.POSITIVE_INFINITY, 0, 0}};
        int[] next = {0};
        List<List<DataSet>> sets = cleanAndMasked(() -> junk[next[0]++ % junk.length], true);
        assertSameTraining(sets.get(0), sets.get(1));
    }

    /** A mask value other than 0 and 1 weighs its sample: 2 counts it as twice in the batch's mean. */
    @Test
    void maskValuesWeighSamples() {
        TestData.Set data = TestData.threeClusters(6, 9);
        INDArray twice = Nd4j.concat(0, data.x(), rows(data.x(), 0, 1));
        INDArray twiceY = Nd4j.concat(0, data.y(), rows(data.y(), 0, 1));
        INDArray mask = Nd4j.createFromArray(new float[] {2, 1, 1, 1, 1, 1});
        assertSameTraining(List.of(new DataSet(twice, twiceY)), List.of(new DataSet(data.x(), data.y(), null, mask)));
    }

    @Test
    void anAllOnesFeaturesMaskIsIgnored() {
        TestData.Set data = TestData.threeClusters(10, 10);
        assertSameTraining(List.of(new DataSet(data.x(), data.y())),
                List.of(new DataSet(data.x(), data.y(), Nd4j.ones(DataType.FLOAT, 10, 1), null)));
    }

    private static void refusedBeforeTraining(DataSet batch, String... fragments) {
        Sequential model = model();
        List<Integer> before = TestData.bits(model.getWeights());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(TestData.iterator(List.of(batch)), FitOptions.epochs(1).verbose(0)));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + fragment + "\" is not in: " + e.getMessage());
        }
        assertEquals(before, TestData.bits(model.getWeights()));
        assertEquals(0, model.optimizer().iterations());
    }

    @Test
    void masksThatCannotBeHonouredAreRefused() {
        TestData.Set data = TestData.threeClusters(8, 11);
        refusedBeforeTraining(new DataSet(data.x(), data.y(), null, Nd4j.ones(DataType.FLOAT, 8, 3)),
                "labels mask of shape [8, 3]", "per-sample", "[8] or [8, 1]");
        refusedBeforeTraining(new DataSet(data.x(), data.y(), null, Nd4j.createFromArray(new float[] {1, 1, -1, 1, 1, 1, 1, 1})),
                "labels mask", ">= 0", "-1");
        INDArray featuresMask = Nd4j.ones(DataType.FLOAT, 8, 1);
        featuresMask.putScalar(3, 0);
        refusedBeforeTraining(new DataSet(data.x(), data.y(), featuresMask, null), "features mask", "not all ones");

        Sequential lambda = new Sequential(new InputLayer(2), new Dense(3));
        lambda.compile(new SGD(0.1), (org.grad4j.losses.Loss) (y, p) -> p.sub(y).square().mean());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lambda.fit(TestData.iterator(
                List.of(new DataSet(data.x(), data.y(), null, Nd4j.createFromArray(new float[] {1, 0, 1, 1, 1, 1, 1, 1})))),
                FitOptions.epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("labels mask") && e.getMessage().contains("LossFunctionWrapper"), e.getMessage());
    }

    @Test
    void classWeightWithAnIteratorPointsAtTheLabelsMask() {
        TestData.Set data = TestData.threeClusters(8, 12);
        Sequential model = model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.fit(
                TestData.iterator(List.of(new DataSet(data.x(), data.y()))),
                FitOptions.epochs(1).classWeight(java.util.Map.of(0, 2.0)).verbose(0)));
        assertTrue(e.getMessage().contains("labels mask"), e.getMessage());
    }
}
