package org.grad4j.losses;

import static org.grad4j.losses.LossTesting.assertFinite;
import static org.grad4j.losses.LossTesting.assertGradientOk;
import static org.grad4j.losses.LossTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class SparseCategoricalCrossentropyTest {
    private static final Tensor LABELS = Tensor.of(new double[] {2, 0, 3}, DataType.DOUBLE, 3);
    private static final Tensor ONE_HOT = Tensor.of(new double[] {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1}, DataType.DOUBLE, 3, 4);

    /** The loss as a function of y_pred (and the weights): labels are not differentiable. */
    private static Function<List<Tensor>, Tensor> withLabels(Loss loss, Tensor labels) {
        return xs -> loss.call(labels, xs.get(0), xs.size() > 1 ? xs.get(1) : null);
    }

    @Test
    void equalsTheCategoricalLossOfOneHotLabels() {
        Tensor x = uniform(41, -2, 2, 3, 4);
        for (boolean fromLogits : new boolean[] {true, false}) {
            Tensor y = fromLogits ? x : x.softmax(-1);
            assertEquals(new CategoricalCrossentropy(fromLogits).call(ONE_HOT, y).itemDouble(),
                    new SparseCategoricalCrossentropy(fromLogits).call(LABELS, y).itemDouble(), 1e-12);
            assertEquals(new CategoricalCrossentropy(fromLogits).call(ONE_HOT, y).itemDouble(),
                    new SparseCategoricalCrossentropy(fromLogits).call(LABELS.reshape(3, 1), y).itemDouble(), 1e-12);
        }
    }

    @Test
    void gradientChecks() {
        Tensor x = uniform(42, -3, 3, 3, 4);
        Tensor p = uniform(43, 0.1, 1, 3, 4);
        Tensor weights = uniform(44, 0.5, 2, 3);
        assertGradientOk("scce logits", withLabels(new SparseCategoricalCrossentropy(true), LABELS), x);
        assertGradientOk("scce logits weighted", withLabels(new SparseCategoricalCrossentropy(true), LABELS), x, weights);
        assertGradientOk("scce probs", withLabels(new SparseCategoricalCrossentropy(), LABELS), p);
        assertGradientOk("scce probs weighted [3, 1]", withLabels(new SparseCategoricalCrossentropy(), LABELS.reshape(3, 1)),
                p, weights.reshape(3, 1));
        Tensor withIgnored = Tensor.of(new double[] {2, -1, 3}, DataType.DOUBLE, 3);
        assertGradientOk("scce logits ignore_class, none", withLabels(new SparseCategoricalCrossentropy(true)
                .ignoreClass(-1).reduction(Reduction.NONE), withIgnored), x);
        assertGradientOk("scce probs ignore_class, weighted", withLabels(new SparseCategoricalCrossentropy()
                .ignoreClass(-1), withIgnored), p, weights);
    }

    @Test
    void ignoredEntriesCountNeitherInTheLossNorInItsMean() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 3, 2, 1, 0, 0, 5}, 3, 3).requiresGrad(true);
        Tensor labels = Tensor.of(new float[] {2, 255, 0});
        Tensor loss = new SparseCategoricalCrossentropy(true).ignoreClass(255).call(labels, x);
        Tensor perSample = new SparseCategoricalCrossentropy(true).reduction(Reduction.NONE)
                .call(Tensor.of(new float[] {2, 0, 0}), x.detach());
        float[] each = perSample.toFloatArray();
        assertEquals((each[0] + each[2]) / 2, loss.item(), 1e-5f);
        loss.backward();
        float[] g = x.grad().toFloatArray();
        assertArrayEquals(new float[] {0, 0, 0}, new float[] {g[3], g[4], g[5]}, 0f);
    }

    @Test
    void anAllIgnoredBatchGivesZero() {
        Tensor x = uniform(45, -1, 1, 2, 3).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).requiresGrad(true);
        Tensor loss = new SparseCategoricalCrossentropy(true).ignoreClass(-1).call(Tensor.of(new float[] {-1, -1}), x);
        assertEquals(0f, loss.item(), 0f);
        loss.backward();
        assertArrayEquals(new float[6], x.grad().toFloatArray(), 0f);
    }

    @Test
    void logitsOfPlusMinus1000GiveFiniteLossAndGradient() {
        Tensor x = Tensor.of(new float[] {1000, -1000, -1000, 1000, -1000, 1000}, 2, 3).requiresGrad(true);
        Tensor loss = new SparseCategoricalCrossentropy(true).call(Tensor.of(new float[] {1, 1}), x);
        assertEquals((2000 + 2000 + Math.log(2)) / 2, loss.item(), 1e-3);
        loss.backward();
        assertFinite("gradient", x.grad());
        assertArrayEquals(new float[] {0.5f, -0.5f, 0, 0.25f, -0.5f, 0.25f}, x.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void outOfRangeLabelsNameTheValueAndWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).call(Tensor.of(new float[] {0, 2, 3, 1}), Tensor.zeros(4, 3)));
        String m = e.getMessage();
        assertTrue(m.startsWith("SparseCategoricalCrossentropy: "), m);
        assertTrue(m.contains("[0, 3)") && m.contains("got 3 at y_true[2]") && m.contains("3 classes"), m);

        e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy().call(Tensor.of(new float[] {0, -1}), Tensor.ones(2, 3)));
        assertTrue(e.getMessage().contains("got -1 at y_true[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy().call(Tensor.of(new float[] {0, 1.5f}), Tensor.ones(2, 3)));
        assertTrue(e.getMessage().contains("got 1.5 at y_true[1]"), e.getMessage());
    }

    @Test
    void oneHotLabelsGetTheCategoricalHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).call(Tensor.zeros(8, 3), Tensor.zeros(8, 3)));
        String m = e.getMessage();
        assertTrue(m.contains("y_true shape [8, 3]") && m.contains("y_pred shape [8, 3]"), m);
        assertTrue(m.contains("use CategoricalCrossentropy"), m);
    }

    @Test
    void predictionsMustHaveOneMoreAxisThanTheLabels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).call(Tensor.zeros(8), Tensor.zeros(8)));
        assertTrue(e.getMessage().contains("integer class indices of shape []"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).call(Tensor.zeros(4, 2), Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("of shape [4] (or [4, 1])"), e.getMessage());
    }

    // ---------------------------------------------------------------- axis

    /** One-hot targets for {@code labels} (shape of {@code pred} without {@code axis}) with the classes along {@code axis}. */
    private static Tensor oneHotAlong(double[] labels, long[] pred, int axis) {
        long outer = 1;
        long inner = 1;
        for (int d = 0; d < axis; d++) {
            outer *= pred[d];
        }
        for (int d = axis + 1; d < pred.length; d++) {
            inner *= pred[d];
        }
        long classes = pred[axis];
        double[] hot = new double[(int) (outer * classes * inner)];
        for (int i = 0; i < labels.length; i++) {
            long o = i / inner;
            long in = i % inner;
            hot[(int) ((o * classes + (long) labels[i]) * inner + in)] = 1;
        }
        return Tensor.of(hot, DataType.DOUBLE, pred);
    }

    /** Keras' hand-checkable case: logits [1, 2 classes, 2 steps], classes on axis 1, labels [1, 2] (class axis removed). */
    @Test
    void aClassAxisInTheMiddleTakesLabelsWithoutIt() {
        double ln3 = Math.log(3);
        Tensor logits = Tensor.of(new double[] {0, ln3, ln3, 0}, DataType.DOUBLE, 1, 2, 2);   // step 0: (0, ln 3); step 1: (ln 3, 0)
        Tensor labels = Tensor.of(new double[] {1, 1}, DataType.DOUBLE, 1, 2);
        Tensor each = new SparseCategoricalCrossentropy(true).axis(1).reduction(Reduction.NONE).call(labels, logits);
        assertArrayEquals(new long[] {1, 2}, each.shape());
        assertArrayEquals(new double[] {Math.log(4.0 / 3), Math.log(4)}, each.toDoubleArray(), 1e-12);
        assertEquals((Math.log(4.0 / 3) + Math.log(4)) / 2,
                new SparseCategoricalCrossentropy(true).axis(1).call(labels, logits).itemDouble(), 1e-12);
        // probabilities: softmax along axis 1 gives the same numbers
        assertEquals((Math.log(4.0 / 3) + Math.log(4)) / 2,
                new SparseCategoricalCrossentropy().axis(1).call(labels, logits.softmax(1)).itemDouble(), 1e-12);
    }

    @Test
    void anyAxisEqualsTheCategoricalLossOfOneHotLabelsAlongIt() {
        long[] shape = {2, 3, 4};
        double[] labels = {0, 2, 1, 1, 2, 0, 0, 1};
        Tensor x = uniform(51, -2, 2, shape);
        for (boolean fromLogits : new boolean[] {true, false}) {
            Tensor y = fromLogits ? x : x.softmax(1);
            Tensor expected = new CategoricalCrossentropy(fromLogits).axis(1).reduction(Reduction.NONE)
                    .call(oneHotAlong(labels, shape, 1), y);
            for (int axis : new int[] {1, -2}) {
                Tensor each = new SparseCategoricalCrossentropy(fromLogits).axis(axis).reduction(Reduction.NONE)
                        .call(Tensor.of(labels, 2, 4), y);
                assertArrayEquals(new long[] {2, 4}, each.shape());
                assertArrayEquals(expected.toDoubleArray(), each.toDoubleArray(), 1e-12, "axis " + axis);
            }
            // the labels may keep the class axis with size 1, as [batch, 1] does for the last axis
            assertArrayEquals(expected.toDoubleArray(), new SparseCategoricalCrossentropy(fromLogits).axis(1)
                    .reduction(Reduction.NONE).call(Tensor.of(labels, 2, 1, 4), y).toDoubleArray(), 1e-12);
        }
        // classes first: y_pred [3 classes, 5], labels [5]
        Tensor first = uniform(52, -2, 2, 3, 5);
        double[] five = {2, 0, 1, 2, 2};
        assertEquals(new CategoricalCrossentropy(true).axis(0).call(oneHotAlong(five, new long[] {3, 5}, 0), first).itemDouble(),
                new SparseCategoricalCrossentropy(true).axis(0).call(Tensor.of(five, 5), first).itemDouble(), 1e-12);
        // -1 and the last axis by number are the default
        Tensor last = uniform(53, -2, 2, 2, 4, 3);
        assertEquals(new SparseCategoricalCrossentropy(true).call(Tensor.of(labels, 2, 4), last).itemDouble(),
                new SparseCategoricalCrossentropy(true).axis(2).call(Tensor.of(labels, 2, 4), last).itemDouble(), 0);
    }

    @Test
    void ignoreClassWorksAlongAnyAxis() {
        long[] shape = {2, 3, 2};
        Tensor x = uniform(54, -2, 2, shape);
        Tensor loss = new SparseCategoricalCrossentropy(true).axis(1).ignoreClass(-1)
                .call(Tensor.of(new double[] {0, -1, 2, 1}, DataType.DOUBLE, 2, 2), x);
        Tensor each = new SparseCategoricalCrossentropy(true).axis(1).reduction(Reduction.NONE)
                .call(Tensor.of(new double[] {0, 0, 2, 1}, DataType.DOUBLE, 2, 2), x);
        double[] e = each.toDoubleArray();
        assertEquals((e[0] + e[2] + e[3]) / 3, loss.itemDouble(), 1e-12);
    }

    @Test
    void gradientChecksAlongAnotherAxis() {
        Tensor labels = Tensor.of(new double[] {0, 2, 1, 1, 2, 0, 0, 1}, DataType.DOUBLE, 2, 4);
        Tensor x = uniform(55, -3, 3, 2, 3, 4);
        Tensor p = uniform(56, 0.1, 1, 2, 3, 4);
        assertGradientOk("scce logits axis 1", withLabels(new SparseCategoricalCrossentropy(true).axis(1), labels), x);
        assertGradientOk("scce logits axis 1 weighted [2, 1]", withLabels(new SparseCategoricalCrossentropy(true).axis(1),
                labels), x, uniform(57, 0.5, 2, 2, 1));
        assertGradientOk("scce probs axis -2", withLabels(new SparseCategoricalCrossentropy().axis(-2), labels), p);
        assertGradientOk("scce probs axis 1 ignore_class, none", withLabels(new SparseCategoricalCrossentropy().axis(1)
                .ignoreClass(2).reduction(Reduction.NONE), labels), p);
        assertGradientOk("scce logits axis 0", withLabels(new SparseCategoricalCrossentropy(true).axis(0),
                Tensor.of(new double[] {1, 0, 2, 2}, DataType.DOUBLE, 4)), uniform(58, -3, 3, 3, 4));
    }

    @Test
    void labelsOfTheWrongShapeForTheAxisNameTheExpectedOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).axis(1).call(Tensor.zeros(2, 3), Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("integer class indices of shape [2, 4] (or [2, 1, 4]) for class axis 1"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).axis(3).call(Tensor.zeros(2, 4), Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("axis 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).axis(1).call(Tensor.of(new float[] {0, 3, 1, 0, 0, 0, 0, 0}, 2, 4),
                        Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("got 3 at y_true[0, 1]") && e.getMessage().contains("3 classes"), e.getMessage());
    }

    @Test
    void theAxisIsInTheConfig() {
        SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy(true).axis(1);
        assertEquals(1, loss.axis());
        assertEquals(1, loss.config().get("axis"));
        SparseCategoricalCrossentropy back = (SparseCategoricalCrossentropy) Losses.fromConfig("SparseCategoricalCrossentropy",
                loss.config());
        assertEquals(1, back.axis());
        assertEquals(-1, new SparseCategoricalCrossentropy().axis());
    }
}
