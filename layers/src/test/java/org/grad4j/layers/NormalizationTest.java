package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.normal;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NormalizationTest {
    private static final INDArray KERAS_ADAPT_DATA = Nd4j.createFromArray(new float[][] {
        {0, 7, 4}, {2, 9, 6}, {0, 7, 4}, {2, 9, 6}});

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    // ------------------------------------------------------------ Keras' docstring examples

    @Test
    void kerasExampleOneScalarMeanAndVarianceWithAxisNone() {
        Normalization layer = new Normalization(new int[0]);
        layer.adapt(Nd4j.createFromArray(1f, 2f, 3f, 4f, 5f));
        float[] y = layer.apply(Tensor.of(Nd4j.createFromArray(1f, 2f, 3f))).toFloatArray();
        assertArrayEquals(new float[] {-1.4142135f, -0.70710677f, 0f}, y, 1e-7f);
        assertArrayEquals(new long[0], layer.mean().shape());
        assertEquals(3.0, layer.mean().getDouble(0));
        assertEquals(2.0, layer.variance().getDouble(0));
    }

    @Test
    void kerasExamplePerFeatureOnTheLastAxis() {
        Normalization layer = new Normalization();
        layer.adapt(KERAS_ADAPT_DATA);
        assertArrayEquals(new double[] {1, 8, 5}, layer.mean().toDoubleVector());
        assertArrayEquals(new double[] {1, 1, 1}, layer.variance().toDoubleVector());
        float[] y = layer.apply(Tensor.of(new float[] {0, 7, 4}, 1, 3)).toFloatArray();
        assertArrayEquals(new float[] {-1, -1, -1}, y);
    }

    @Test
    void integerAndColumnMajorDataAdaptToo() {
        Normalization ints = new Normalization();
        ints.adapt(Nd4j.createFromArray(new int[][] {{1, 10}, {3, 30}}));
        assertArrayEquals(new double[] {2, 20}, ints.mean().toDoubleVector());
        assertArrayEquals(new double[] {1, 100}, ints.variance().toDoubleVector());

        INDArray transposed = Nd4j.createFromArray(new double[][] {{1, 3}, {10, 30}}).transpose();
        Normalization fixed = new Normalization(new int[] {-1}, transposed.getRow(0), transposed.getRow(1));
        assertArrayEquals(new double[] {1, 10}, fixed.config().get("mean") instanceof List<?> l
                ? l.stream().mapToDouble(o -> (Double) o).toArray() : null);
    }

    @Test
    void kerasExampleGivenMeanAndVariance() {
        Normalization layer = new Normalization(3.0, 2.0);
        float[] y = layer.apply(Tensor.of(new float[] {1, 2, 3}, 3, 1)).toFloatArray();
        assertArrayEquals(new float[] {-1.4142135f, -0.70710677f, 0f}, y, 1e-7f);
        assertEquals(0, layer.countParams(), "given statistics are constants, not weights");
        assertTrue(layer.weights().isEmpty());
    }

    @Test
    void kerasExampleInvert() {
        Normalization layer = new Normalization(-1).invert(true);
        layer.adapt(KERAS_ADAPT_DATA);
        float[] y = layer.apply(Tensor.of(new float[] {1, 2, 3}, 1, 3)).toFloatArray();
        assertArrayEquals(new float[] {2, 10, 8}, y);
    }

    // ------------------------------------------------------------ weights and adapt

    @Test
    void adaptedWeightsAreKeras3s() {
        Normalization layer = new Normalization();
        layer.adapt(KERAS_ADAPT_DATA);
        assertNames(List.of("normalization/mean:0 [3]", "normalization/variance:0 [3]", "normalization/count:0 []"),
                layer.weights());
        assertTrue(layer.trainableWeights().isEmpty());
        assertEquals(3, layer.nonTrainableWeights().size());
        // Keras 3 counts mean, variance and the int scalar count: 2F + 1
        assertEquals(7, layer.countParams());
        Variable count = layer.weights().get(2);
        assertEquals(DataType.LONG, count.dataType());
        assertEquals(0L, count.array().getLong(0), "Keras 3 keeps count at 0");
        assertArrayEquals(new long[] {-1, 3}, layer.computeOutputShape(-1, 3));
    }

    @Test
    void adaptReducesOverEveryAxisButTheKeptOnes() {
        Tensor data = normal(1, DataType.DOUBLE, 2.0, new double[0], 5, 4, 3).add(1.5);
        double[] v = data.toDoubleArray();

        Normalization last = new Normalization().dtype(DataType.DOUBLE);
        last.adapt(data.array());
        double[] expectedMean = new double[3];
        double[] expectedVariance = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 20; i++) {
                expectedMean[c] += v[i * 3 + c] / 20;
            }
            for (int i = 0; i < 20; i++) {
                expectedVariance[c] += Math.pow(v[i * 3 + c] - expectedMean[c], 2) / 20;   // population variance
            }
        }
        assertArrayEquals(expectedMean, last.mean().toDoubleVector(), 1e-12);
        assertArrayEquals(expectedVariance, last.variance().toDoubleVector(), 1e-12);

        Normalization middle = new Normalization(1).dtype(DataType.DOUBLE);
        middle.adapt(data.array());
        assertArrayEquals(new long[] {4}, middle.mean().shape());
        for (int j = 0; j < 4; j++) {
            double mean = 0;
            for (int i = 0; i < 5; i++) {
                for (int c = 0; c < 3; c++) {
                    mean += v[i * 12 + j * 3 + c] / 15;
                }
            }
            assertEquals(mean, middle.mean().getDouble(j), 1e-12);
        }

        Normalization twoAxes = new Normalization(new int[] {1, 2}).dtype(DataType.DOUBLE);
        twoAxes.adapt(data.array());
        assertArrayEquals(new long[] {4, 3}, twoAxes.mean().shape());
        assertNames(List.of("normalization_2/mean:0 [4, 3]", "normalization_2/variance:0 [4, 3]",
                "normalization_2/count:0 []"), twoAxes.weights());
        assertEquals(25, twoAxes.countParams());
        Tensor y = twoAxes.apply(data);
        INDArray perPosition = y.array().mean(0);
        assertEquals(0.0, perPosition.amaxNumber().doubleValue(), 1e-12, "each position has mean 0 after normalizing");
        assertEquals(1.0, y.array().var(false, 0).getDouble(2, 1), 1e-12);
    }

    @Test
    void streamingAdaptEqualsAdaptOnTheWholeArray() {
        Tensor data = normal(2, DataType.DOUBLE, 3.0, new double[0], 23, 4).add(-7.0);
        Normalization whole = new Normalization().dtype(DataType.DOUBLE);
        whole.adapt(data.array());

        List<INDArray> batches = new ArrayList<>();
        int[] sizes = {1, 7, 10, 5};   // uneven, as a last partial batch is
        int start = 0;
        for (int size : sizes) {
            batches.add(data.array().get(NDArrayIndex.interval(start, start + size), NDArrayIndex.all()));
            start += size;
        }
        Normalization streamed = new Normalization().dtype(DataType.DOUBLE);
        streamed.adapt(batches);
        assertArrayEquals(whole.mean().toDoubleVector(), streamed.mean().toDoubleVector(), 1e-12);
        assertArrayEquals(whole.variance().toDoubleVector(), streamed.variance().toDoubleVector(), 1e-12);

        Normalization columnMajor = new Normalization().dtype(DataType.DOUBLE);
        columnMajor.adapt(data.array().dup('f'));
        assertArrayEquals(whole.mean().toDoubleVector(), columnMajor.mean().toDoubleVector(), 1e-12);
        assertArrayEquals(whole.variance().toDoubleVector(), columnMajor.variance().toDoubleVector(), 1e-12);
    }

    @Test
    void streamingAdaptCombinesTwoHandComputedBatches() {
        // batch 1: {1, 3} (mean 2, var 1); batch 2: {5, 7, 9} (mean 7, var 8/3); all five: mean 5, var 8
        Normalization layer = new Normalization(new int[0]).dtype(DataType.DOUBLE);
        layer.adapt(List.of(Nd4j.createFromArray(1.0, 3.0), Nd4j.createFromArray(5.0, 7.0, 9.0)));
        assertEquals(5.0, layer.mean().getDouble(0), 1e-15);
        assertEquals(8.0, layer.variance().getDouble(0), 1e-14);
    }

    @Test
    void largeDataIsReadInSlicesWithTheSameResult() {
        // 2^20 values per slice: 300,000 rows of 8 are read in three slices
        int rows = 300_000;
        float[] values = new float[rows * 8];
        double[] sum = new double[8];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((i * 7919L % 1000) / 10.0 + i % 8);
            sum[i % 8] += values[i];
        }
        double[] mean = new double[8];
        double[] variance = new double[8];
        for (int c = 0; c < 8; c++) {
            mean[c] = sum[c] / rows;
        }
        for (int i = 0; i < values.length; i++) {
            variance[i % 8] += Math.pow(values[i] - mean[i % 8], 2) / rows;
        }
        Normalization layer = new Normalization();
        layer.adapt(Nd4j.create(values, new long[] {rows, 8}, 'c'));
        for (int c = 0; c < 8; c++) {
            assertEquals(mean[c], layer.mean().getDouble(c), Math.ulp((float) mean[c]));
            assertEquals(variance[c], layer.variance().getDouble(c), Math.ulp((float) variance[c]));
        }
    }

    @Test
    void givenStatisticsBroadcastOntoTheKeptAxesFromTheRight() {
        // axes (1, 2) of [b, 2, 3]; a [3] mean lines up with axis 2 and is repeated along axis 1
        INDArray mean = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray variance = Nd4j.createFromArray(4.0, 1.0, 0.25);
        Normalization layer = new Normalization(new int[] {1, 2}, mean, variance).dtype(DataType.DOUBLE);
        Tensor x = normal64(3, 2, 2, 3);
        double[] y = layer.apply(x).toDoubleArray();
        double[] xv = x.toDoubleArray();
        double[] std = {2, 1, 0.5};
        for (int i = 0; i < xv.length; i++) {
            assertEquals((xv[i] - (i % 3 + 1)) / std[i % 3], y[i], 1e-15);
        }
        assertArrayEquals(new long[] {2, 3}, layer.mean().shape());
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, layer.mean().dup('c').data().asDouble());
    }

    @Test
    void aConstantFeatureHasItsDeviationFlooredAtKerasEpsilon() {
        Normalization layer = new Normalization().dtype(DataType.DOUBLE);
        layer.adapt(Nd4j.createFromArray(new double[][] {{5, 1}, {5, 3}}));
        assertEquals(0.0, layer.variance().getDouble(0));
        double[] y = layer.apply(Tensor.of(new double[] {5, 2, 5.5, 2}, DataType.DOUBLE, 2, 2)).toDoubleArray();
        assertArrayEquals(new double[] {0, 0, 0.5 / 1e-7, 0}, y, 1e-3);
        assertEquals(1e-7, Normalization.EPSILON);
    }

    @Test
    void readaptingReplacesTheStatisticsTheCallsUse() {
        Normalization layer = new Normalization();
        layer.adapt(KERAS_ADAPT_DATA);
        Tensor x = Tensor.of(new float[] {1, 8, 5}, 1, 3);
        assertArrayEquals(new float[] {0, 0, 0}, layer.apply(x).toFloatArray());
        layer.adapt(KERAS_ADAPT_DATA.mul(2));
        assertArrayEquals(new float[] {2, 16, 10}, layer.mean().toFloatVector());
        assertArrayEquals(new float[] {-0.5f, -4, -2.5f}, layer.apply(x).toFloatArray());
        layer.weights().get(0).assign(Nd4j.createFromArray(1f, 8f, 5f));   // as a weights file loads them
        assertArrayEquals(new float[] {0, 0, 0}, layer.apply(x).toFloatArray());
    }

    // ------------------------------------------------------------ gradients

    @Test
    void gradientWithRespectToTheInputPassesTheCheck() {
        Normalization layer = new Normalization().dtype(DataType.DOUBLE);
        layer.adapt(normal64(4, 30, 3).mul(2.0).add(1.0).array());
        double error = GradientCheck.check(in -> layer.call(in.get(0), true), List.of(normal64(5, 6, 3)));
        assertTrue(error < GRADIENT_BOUND, "input: " + error);

        Normalization inverse = new Normalization(new int[] {1, 2}, Nd4j.createFromArray(0.5, -1.0),
                Nd4j.createFromArray(2.0, 0.3)).invert(true).dtype(DataType.DOUBLE);
        double inverseError = GradientCheck.check(in -> inverse.call(in.get(0), true), List.of(normal64(6, 4, 3, 2)));
        assertTrue(inverseError < GRADIENT_BOUND, "input, inverted: " + inverseError);
    }

    @Test
    void theStatisticsGetNoGradientAndStayNonTrainable() {
        Normalization layer = new Normalization();
        layer.adapt(KERAS_ADAPT_DATA);
        Tensor x = normal(7, 4, 3);
        GradientTape tape = GradientTape.open();
        Tensor loss;
        try (tape) {
            tape.watch(x);
            loss = layer.apply(x, true).square().sum();
        }
        List<Tensor> grads = tape.gradient(loss, List.<Tensor>of(x, layer.weights().get(0)));
        assertTrue(grads.get(0) != null);
        assertNull(grads.get(1));
        layer.setTrainable(true);
        assertTrue(layer.trainableWeights().isEmpty());
    }

    // ------------------------------------------------------------ config

    @Test
    void configHasKerasKeys() {
        Map<String, Object> adapted = new Normalization().config();
        assertEquals(List.of("name", "trainable", "dtype", "axis", "invert", "mean", "variance"),
                List.copyOf(adapted.keySet()));
        assertEquals(List.of(-1), adapted.get("axis"));
        assertNull(adapted.get("mean"));
        assertEquals(List.of(), new Normalization(new int[0]).config().get("axis"), "axis=None is written as []");
        Map<String, Object> fixed = new Normalization(new double[] {1, 2}, new double[] {3, 4}).invert(true).config();
        assertEquals(List.of(1.0, 2.0), fixed.get("mean"));
        assertEquals(List.of(3.0, 4.0), fixed.get("variance"));
        assertEquals(true, fixed.get("invert"));
        assertEquals(3.0, new Normalization(3.0, 2.0).config().get("mean"));
    }

    @Test
    void kerasConfigsLoad() {
        Map<String, Object> keras3 = new java.util.HashMap<>(Map.of("axis", List.of(-1), "invert", false));
        keras3.put("mean", null);
        keras3.put("variance", null);
        Normalization adapted = (Normalization) Layers.fromConfig("Normalization", keras3);
        assertArrayEquals(new int[] {-1}, adapted.axis());
        assertFalse(adapted.isAdapted());

        Map<String, Object> keras2 = new java.util.HashMap<>(Map.of("axis", 1, "mean", List.of(1.0, 2.0),
                "variance", List.of(4.0, 9.0)));
        Normalization fixed = (Normalization) Layers.fromConfig("Normalization", keras2);
        assertArrayEquals(new int[] {1}, fixed.axis());
        assertTrue(fixed.isAdapted());
        assertArrayEquals(new float[] {0, 0, 1, 1}, fixed.apply(Tensor.of(new float[] {1, 2, 3, 5}, 2, 2)).toFloatArray());
        // nested lists: a [1, 2] mean on kept axes (0, 1) is repeated along axis 0
        keras2.put("axis", List.of(0, 1));
        keras2.put("mean", List.of(List.of(1.0, 2.0)));
        keras2.put("variance", List.of(List.of(4.0, 9.0)));
        Normalization twoAxes = (Normalization) Layers.fromConfig("Normalization", keras2);
        assertArrayEquals(new float[] {0, 0, 1, 1}, twoAxes.apply(Tensor.of(new float[] {1, 2, 3, 5}, 2, 2)).toFloatArray());
        assertEquals(List.of(List.of(1.0, 2.0)), twoAxes.config().get("mean"));

        Map<String, Object> none = new java.util.HashMap<>();
        none.put("axis", null);
        assertArrayEquals(new int[0], ((Normalization) Layers.fromConfig("Normalization", none)).axis());
    }

    // ------------------------------------------------------------ errors

    @Test
    void callingBeforeAdaptIsAnErrorThatChangesNothing() {
        Normalization layer = new Normalization();
        var e = assertThrows(IllegalStateException.class, () -> layer.apply(normal(8, 2, 3)));
        assertEquals("normalization (Normalization): the layer has no statistics yet; call adapt(data) before using it, "
                + "or create it with a mean and variance", e.getMessage());
        assertFalse(layer.isBuilt());
        layer.build(-1, 3);
        assertThrows(IllegalStateException.class, () -> layer.apply(normal(8, 2, 3)));
        assertEquals(7, layer.countParams(), "built but not adapted: the weights exist, as Keras' summary shows them");
    }

    @Test
    void adaptOnDataOfAnotherFeatureSizeNamesBothShapes() {
        Normalization layer = new Normalization();
        layer.adapt(KERAS_ADAPT_DATA);
        var e = assertThrows(IllegalArgumentException.class, () -> layer.adapt(Nd4j.ones(DataType.FLOAT, 6, 4)));
        assertEquals("normalization (Normalization).adapt: the data has shape [6, 4] but the layer was built for input "
                + "shape [4, 3] (mean [3])", e.getMessage());
        assertArrayEquals(new double[] {1, 8, 5}, layer.mean().toDoubleVector(), "nothing changed");
        var rank = assertThrows(IllegalArgumentException.class, () -> layer.adapt(Nd4j.ones(DataType.FLOAT, 2, 2, 3)));
        assertTrue(rank.getMessage().contains("[2, 2, 3] but the layer was built for input shape [4, 3]"), rank.getMessage());
        var call = assertThrows(IllegalArgumentException.class, () -> layer.apply(normal(9, 2, 4)));
        assertEquals("normalization (Normalization): input last dimension must be 3 (mean [3]), got shape [2, 4]",
                call.getMessage());
    }

    @Test
    void badStreamsAndBadDataChangeNothing() {
        Normalization layer = new Normalization();
        var empty = assertThrows(IllegalArgumentException.class, () -> layer.adapt(List.of()));
        assertEquals("normalization (Normalization).adapt: no batches; pass at least one array", empty.getMessage());
        var mismatch = assertThrows(IllegalArgumentException.class,
                () -> layer.adapt(List.of(Nd4j.ones(DataType.FLOAT, 4, 3), Nd4j.ones(DataType.FLOAT, 4, 2))));
        assertEquals("normalization (Normalization).adapt: batch 1 has shape [4, 2] but batch 0 had [4, 3]; the kept "
                + "axes [1] must agree", mismatch.getMessage());
        INDArray withNan = Nd4j.createFromArray(new float[][] {{1, 2}, {Float.NaN, 3}});
        var nan = assertThrows(IllegalArgumentException.class, () -> layer.adapt(withNan));
        assertEquals("normalization (Normalization).adapt: the data has NaN or infinite values (statistic 0: mean NaN, "
                + "variance NaN); nothing was changed", nan.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> layer.adapt(Nd4j.create(DataType.FLOAT, 0, 3)));
        assertEquals("normalization (Normalization).adapt: the data is empty: shape [0, 3]", none.getMessage());
        assertFalse(layer.isBuilt(), "no failed adapt built the layer");
        assertFalse(layer.isAdapted());
    }

    @Test
    void badArgumentsAreNamed() {
        var half = assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new int[] {-1}, Nd4j.scalar(1.0), null));
        assertEquals("Normalization: mean and variance must be given together, got mean [] and variance null",
                half.getMessage());
        var shapes = assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new double[] {1, 2}, new double[] {1}));
        assertEquals("Normalization: mean and variance must have the same shape, got mean [2] and variance [1]",
                shapes.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> new Normalization(new int[] {-1},
                Nd4j.ones(DataType.DOUBLE, 2, 2), Nd4j.ones(DataType.DOUBLE, 2, 2)));
        assertEquals("Normalization: the rank of mean (shape [2, 2]) must be at most the number of axes [-1]",
                rank.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> new Normalization(0.0, -1.0));
        assertEquals("Normalization: the mean must be finite and the variance finite and >= 0, got mean 0.0 and "
                + "variance -1.0 at index 0", negative.getMessage());
        var twice = assertThrows(IllegalArgumentException.class, () -> new Normalization(new int[] {1, 1}));
        assertEquals("Normalization: axis 1 is given twice in [1, 1]", twice.getMessage());
        assertEquals("normalization", new Normalization().name(), "failed constructions use no name");

        var fixed = assertThrows(IllegalArgumentException.class, () -> new Normalization(1.0, 1.0).adapt(KERAS_ADAPT_DATA));
        assertEquals("normalization_1 (Normalization).adapt: the layer was created with a fixed mean and variance; "
                + "adapt() is for a layer created without them", fixed.getMessage());
        var axis = assertThrows(IllegalArgumentException.class, () -> new Normalization(2).adapt(KERAS_ADAPT_DATA));
        assertEquals("normalization_2 (Normalization).adapt: axis [2] must lie in [-rank, rank) for inputs of rank 2, "
                + "got shape [4, 3]", axis.getMessage());
        var broadcast = assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new double[] {1, 2}, new double[] {1, 1}).apply(normal(10, 2, 3)));
        assertEquals("normalization_3 (Normalization).build: the given mean and variance of shape [2] do not broadcast "
                + "to the kept axes' sizes [3] of input shape [2, 3]", broadcast.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> new Normalization(0).build(-1, 3));
        assertTrue(unknown.getMessage().contains("kept axis 0 must have a known size, got shape [-1, 3]"),
                unknown.getMessage());
    }

    @Test
    void statisticsBeforeBuildAreNull() {
        assertNull(new Normalization().mean());
        assertNull(new Normalization(1.0, 2.0).variance());
        assertTrue(Arrays.equals(new int[] {-1}, new Normalization().axis()));
    }
}
