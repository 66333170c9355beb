package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class InitializersTest {
    /** Large enough that sample statistics are within a fraction of a percent of the true ones. */
    private static final long[] SHAPE = {400, 600};

    private static INDArray draw(Initializer init) {
        return init.init(SHAPE, DataType.FLOAT);
    }

    /** Uniform on [-limit, limit): bounds, mean 0 and standard deviation limit / sqrt(3). */
    private static void assertUniform(Initializer init, double limit) {
        INDArray w = draw(init);
        assertTrue(w.maxNumber().doubleValue() < limit && w.minNumber().doubleValue() >= -limit, init.kerasName());
        assertEquals(limit * 0.98, w.maxNumber().doubleValue(), limit * 0.02, init.kerasName() + " reaches its bound");
        assertEquals(0.0, w.meanNumber().doubleValue(), limit * 0.01, init.kerasName() + " mean");
        assertEquals(limit / Math.sqrt(3), w.stdNumber().doubleValue(), limit / Math.sqrt(3) * 0.01, init.kerasName() + " std");
    }

    /**
     * Keras' truncated normal: the samples' standard deviation is sqrt(scale / fan) (the 0.8796
     * widening undoes the cut), and no sample lies beyond two of the widened standard deviations.
     */
    private static void assertTruncatedNormal(Initializer init, double std) {
        INDArray w = draw(init);
        double cut = 2 * std / 0.87962566103423978;
        assertTrue(w.amaxNumber().doubleValue() <= cut * (1 + 1e-6), init.kerasName() + " cut at 2 stddev");
        assertTrue(w.amaxNumber().doubleValue() > cut * 0.99, init.kerasName() + " reaches the cut");
        assertEquals(0.0, w.meanNumber().doubleValue(), std * 0.01, init.kerasName() + " mean");
        assertEquals(std, w.stdNumber().doubleValue(), std * 0.01, init.kerasName() + " std");
    }

    @Test
    void varianceScalingFamilies() {
        double fanIn = SHAPE[0];
        double fanAvg = (SHAPE[0] + SHAPE[1]) / 2.0;
        assertUniform(Initializers.glorotUniform(1), Math.sqrt(3 / fanAvg));
        assertUniform(Initializers.heUniform(2), Math.sqrt(6 / fanIn));
        assertUniform(Initializers.lecunUniform(3), Math.sqrt(3 / fanIn));
        assertTruncatedNormal(Initializers.glorotNormal(4), Math.sqrt(1 / fanAvg));
        assertTruncatedNormal(Initializers.heNormal(5), Math.sqrt(2 / fanIn));
        assertTruncatedNormal(Initializers.lecunNormal(6), Math.sqrt(1 / fanIn));
    }

    @Test
    void fansOfConvolutionKernelsIncludeTheReceptiveField() {
        assertArrayEquals(new long[] {36, 72}, VarianceScaling.fans(new long[] {3, 3, 4, 8}));
        assertArrayEquals(new long[] {9, 64}, VarianceScaling.fans(new long[] {9, 64}));
        assertArrayEquals(new long[] {5, 5}, VarianceScaling.fans(new long[] {5}));
        assertArrayEquals(new long[] {1, 1}, VarianceScaling.fans(new long[0]));
        INDArray kernel = Initializers.glorotUniform(7).init(new long[] {3, 3, 4, 8}, DataType.FLOAT);
        assertTrue(kernel.amaxNumber().doubleValue() < Math.sqrt(6.0 / (36 + 72)));
    }

    @Test
    void randomNormalAndUniformUseKerasDefaults() {
        INDArray normal = draw(Initializers.randomNormal());
        assertEquals(0.0, normal.meanNumber().doubleValue(), 0.0005);
        assertEquals(0.05, normal.stdNumber().doubleValue(), 0.0005);
        assertTrue(normal.amaxNumber().doubleValue() > 0.2, "not truncated");

        INDArray shifted = draw(Initializers.randomNormal(1.0, 2.0, 3));
        assertEquals(1.0, shifted.meanNumber().doubleValue(), 0.02);
        assertEquals(2.0, shifted.stdNumber().doubleValue(), 0.02);

        assertUniform(Initializers.randomUniform(), 0.05);
        INDArray uniform = draw(Initializers.randomUniform(2.0, 3.0, 4));
        assertTrue(uniform.minNumber().doubleValue() >= 2.0 && uniform.maxNumber().doubleValue() < 3.0);
        assertEquals(2.5, uniform.meanNumber().doubleValue(), 0.005);
    }

    @Test
    void aWeightBeyondAJavaArrayIsRefusedByName() {
        // Math.toIntExact used to throw a bare "integer overflow" here
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Initializers.glorotUniform().init(new long[] {100_000, 100_000}, DataType.FLOAT));
        assertTrue(e.getMessage().contains("[100000, 100000] has 10000000000 elements"), e.getMessage());
    }

    @Test
    void constants() {
        assertEquals(0.0, Initializers.zeros().init(new long[] {3, 2}, DataType.FLOAT).amaxNumber().doubleValue());
        INDArray ones = Initializers.ones().init(new long[] {4}, DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, ones.dataType());
        assertArrayEquals(new double[] {1, 1, 1, 1}, ones.toDoubleVector());
        assertArrayEquals(new float[] {2.5f, 2.5f}, Initializers.constant(2.5).init(new long[] {2}, DataType.FLOAT).toFloatVector());
    }

    @Test
    void theSameSeedGivesTheSameValuesEverywhere() {
        Initializer seeded = Initializers.heNormal(42);
        assertEquals(seeded.init(new long[] {5, 7}, DataType.FLOAT), seeded.init(new long[] {5, 7}, DataType.FLOAT));
        assertEquals(Initializers.heNormal(42).init(new long[] {5, 7}, DataType.FLOAT),
                seeded.init(new long[] {5, 7}, DataType.FLOAT));
        assertNotEquals(Initializers.heNormal(43).init(new long[] {5, 7}, DataType.FLOAT),
                seeded.init(new long[] {5, 7}, DataType.FLOAT));
        // float64 draws the same numbers, kept in double precision
        INDArray doubles = seeded.init(new long[] {5, 7}, DataType.DOUBLE);
        assertArrayEquals(seeded.init(new long[] {5, 7}, DataType.FLOAT).castTo(DataType.DOUBLE).reshape(35).toDoubleVector(),
                doubles.reshape(35).toDoubleVector(), 1e-7);

        Initializer unseeded = Initializers.glorotUniform();
        Seeds.set(9);
        INDArray first = unseeded.init(new long[] {4, 4}, DataType.FLOAT);
        INDArray second = unseeded.init(new long[] {4, 4}, DataType.FLOAT);
        assertNotEquals(first, second, "an unseeded initializer draws a new seed each call");
        Seeds.set(9);
        assertEquals(first, unseeded.init(new long[] {4, 4}, DataType.FLOAT), "Seeds.set makes it reproducible");
    }

    @Test
    void getReadsKerasNamesAndClassNames() {
        for (String name : List.of("glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal",
                "random_normal", "random_uniform", "zeros", "ones")) {
            assertEquals(name, Initializers.get(name).kerasName());
        }
        assertEquals("glorot_uniform", Initializers.get("GlorotUniform").kerasName());
        assertEquals("he_normal", Initializers.get("HE_NORMAL").kerasName());
        var e = assertThrows(IllegalArgumentException.class, () -> Initializers.get("glorot"));
        assertEquals("Initializers.get: unknown initializer \"glorot\" (known: glorot_uniform, glorot_normal, he_normal, "
                + "he_uniform, lecun_normal, lecun_uniform, random_normal, random_uniform, truncated_normal, zeros, ones, "
                + "constant, orthogonal, identity)", e.getMessage());
        // Keras' defaults: Constant(0), TruncatedNormal(0, 0.05), Orthogonal(gain 1), Identity(gain 1)
        assertEquals(Initializers.constant(0), Initializers.get("constant"));
        assertEquals(Initializers.truncatedNormal(), Initializers.get("truncated_normal"));
        assertEquals(Initializers.truncatedNormal(0.0, 0.05), Initializers.get("TruncatedNormal"));
        assertEquals(Initializers.orthogonal(), Initializers.get("orthogonal"));
        assertEquals(Initializers.identity(), Initializers.get("Identity"));
        for (String name : List.of("constant", "truncated_normal", "orthogonal", "identity")) {
            assertEquals(name, Initializers.get(name).kerasName());
        }
    }

    @Test
    void serializedFormRoundTrips() {
        assertEquals(Map.of("class_name", "GlorotUniform", "config", java.util.Collections.singletonMap("seed", null)),
                Initializers.serialize(Initializers.glorotUniform()));
        assertEquals(Map.of("class_name", "RandomNormal", "config", Map.of("mean", 0.5, "stddev", 2.0, "seed", 3L)),
                Initializers.serialize(Initializers.randomNormal(0.5, 2.0, 3)));
        for (Initializer init : List.of(Initializers.glorotUniform(1), Initializers.glorotNormal(), Initializers.heNormal(2),
                Initializers.heUniform(), Initializers.lecunNormal(3), Initializers.lecunUniform(), Initializers.randomNormal(),
                Initializers.randomUniform(-1, 2, 5), Initializers.zeros(), Initializers.ones(), Initializers.constant(0.25),
                Initializers.truncatedNormal(), Initializers.truncatedNormal(0.5, 2.0, 7), Initializers.orthogonal(),
                Initializers.orthogonal(2.0, 9), Initializers.identity(), Initializers.identity(0.5))) {
            Initializer back = Initializers.deserialize(Initializers.serialize(init));
            assertEquals(Initializers.serialize(init), Initializers.serialize(back));
            assertEquals(init, back);
        }
        assertThrows(IllegalArgumentException.class, () -> Initializers.randomUniform(1, 0));
        assertEquals(Map.of("class_name", "TruncatedNormal", "config", Map.of("mean", 0.5, "stddev", 2.0, "seed", 7L)),
                Initializers.serialize(Initializers.truncatedNormal(0.5, 2.0, 7)));
        assertEquals(Map.of("class_name", "Orthogonal", "config", Map.of("gain", 2.0, "seed", 9L)),
                Initializers.serialize(Initializers.orthogonal(2.0, 9)));
        assertEquals(Map.of("class_name", "Identity", "config", Map.of("gain", 0.5)),
                Initializers.serialize(Initializers.identity(0.5)));
        assertEquals(Map.of("class_name", "Constant", "config", Map.of("value", 0.25)),
                Initializers.serialize(Initializers.constant(0.25)));
        // Keras' own spellings read back too
        assertEquals(Initializers.truncatedNormal(0.0, 0.05), Initializers.deserialize(Map.of("class_name", "TruncatedNormal")));
        assertEquals(Initializers.identity(3), Initializers.deserialize(Map.of("class_name", "Identity", "config",
                Map.of("gain", 3))));
    }

    // ---------------------------------------------------------------- truncated normal, orthogonal, identity

    /**
     * Keras 3's TruncatedNormal: N(mean, stddev²) redrawn beyond two stddev, not widened (unlike the
     * variance-scaling family), so the samples' standard deviation is 0.8796 stddev.
     */
    @Test
    void truncatedNormalIsCutAtTwoStandardDeviations() {
        for (Initializer init : List.of(Initializers.truncatedNormal(), Initializers.truncatedNormal(0.5, 2.0, 7))) {
            TruncatedNormal t = (TruncatedNormal) init;
            INDArray w = init.init(SHAPE, DataType.DOUBLE);
            double low = w.minNumber().doubleValue();
            double high = w.maxNumber().doubleValue();
            assertTrue(low >= t.mean() - 2 * t.stddev() && high <= t.mean() + 2 * t.stddev(), low + " .. " + high);
            assertTrue(high > t.mean() + 2 * t.stddev() * 0.99 && low < t.mean() - 2 * t.stddev() * 0.99, "reaches the cut");
            assertEquals(t.mean(), w.meanNumber().doubleValue(), t.stddev() * 0.01);
            assertEquals(0.87962566103423978 * t.stddev(), w.stdNumber().doubleValue(), t.stddev() * 0.01);
        }
        assertEquals(0.05, ((TruncatedNormal) Initializers.truncatedNormal()).stddev());
        assertEquals("Initializers.truncatedNormal: stddev must be a finite value >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Initializers.truncatedNormal(0, -1)).getMessage());
    }

    /** {@code a^T b} in double. */
    private static double[][] gram(double[][] a, double[][] b) {
        double[][] out = new double[a[0].length][b[0].length];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[0].length; j++) {
                double sum = 0;
                for (int k = 0; k < a.length; k++) {
                    sum += a[k][i] * b[k][j];
                }
                out[i][j] = sum;
            }
        }
        return out;
    }

    private static double[][] matrix(INDArray w, long rows, long cols) {
        return w.castTo(DataType.DOUBLE).reshape('c', rows, cols).toDoubleMatrix();
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static void assertScaledIdentity(double[][] m, double scale, double tolerance, String what) {
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                assertEquals(i == j ? scale : 0.0, m[i][j], tolerance, what + " at [" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void orthogonalMatricesHaveOrthonormalRowsOrColumns() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-12;
            double[][] square = matrix(Initializers.orthogonal(1.0, 1).init(new long[] {64, 64}, type), 64, 64);
            assertScaledIdentity(gram(square, square), 1, tolerance, "Q^T Q, square " + type);
            assertScaledIdentity(gram(transpose(square), transpose(square)), 1, tolerance, "Q Q^T, square " + type);
            double[][] tall = matrix(Initializers.orthogonal(1.0, 2).init(new long[] {100, 30}, type), 100, 30);
            assertScaledIdentity(gram(tall, tall), 1, tolerance, "Q^T Q, [100, 30] " + type);
            double[][] wide = matrix(Initializers.orthogonal(1.0, 3).init(new long[] {30, 100}, type), 30, 100);
            assertScaledIdentity(gram(transpose(wide), transpose(wide)), 1, tolerance, "Q Q^T, [30, 100] " + type);
            // a convolution kernel: all axes but the last flattened, [3 * 3 * 4, 8]
            double[][] kernel = matrix(Initializers.orthogonal(1.0, 4).init(new long[] {3, 3, 4, 8}, type), 36, 8);
            assertScaledIdentity(gram(kernel, kernel), 1, tolerance, "Q^T Q, [3, 3, 4, 8] " + type);
            double[][] gained = matrix(Initializers.orthogonal(2.0, 5).init(new long[] {20, 20}, type), 20, 20);
            assertScaledIdentity(gram(gained, gained), 4, 4 * tolerance, "gain 2 " + type);
        }
    }

    /**
     * Keras' construction: Q of the QR factorization of a standard normal matrix [max(rows, cols), min(rows, cols)]
     * with each column's sign flipped to make R's diagonal positive, so that Q^T A is upper triangular with a
     * positive diagonal. The normal matrix is the one the seed draws (same generator, row-major).
     */
    @Test
    void orthogonalIsTheSignCorrectedQOfASeededNormalMatrix() {
        for (long[] shape : new long[][] {{12, 5}, {5, 12}, {7, 7}}) {
            int rows = (int) Math.max(shape[0], shape[1]);
            int cols = (int) Math.min(shape[0], shape[1]);
            java.util.SplittableRandom random = new java.util.SplittableRandom(11);
            double[][] a = new double[rows][cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    a[i][j] = Seeds.gaussian(random);
                }
            }
            double[][] q = matrix(Initializers.orthogonal(1.0, 11).init(shape, DataType.DOUBLE), shape[0], shape[1]);
            if (shape[0] < shape[1]) {
                q = transpose(q);   // Keras transposes Q for a wide matrix
            }
            double[][] r = gram(q, a);
            for (int i = 0; i < cols; i++) {
                assertTrue(r[i][i] > 0, "R's diagonal is positive: " + r[i][i]);
                for (int j = 0; j < i; j++) {
                    assertEquals(0.0, r[i][j], 1e-12, "R is upper triangular");
                }
            }
        }
    }

    @Test
    void orthogonalNeedsTwoAxes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Initializers.orthogonal().init(new long[] {5}, DataType.FLOAT));
        assertEquals("Initializers.orthogonal: the tensor to initialize must be at least two-dimensional. Received: "
                + "shape=[5] of rank 1.", e.getMessage());
    }

    @Test
    void identityIsTheScaledEyeOfA2dShape() {
        assertEquals(org.nd4j.linalg.factory.Nd4j.eye(3).castTo(DataType.FLOAT).mul(2),
                Initializers.identity(2.0).init(new long[] {3, 3}, DataType.FLOAT));
        INDArray wide = Initializers.identity().init(new long[] {2, 4}, DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, wide.dataType());
        assertArrayEquals(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}}, wide.toDoubleMatrix());
        assertArrayEquals(new double[][] {{1, 0}, {0, 1}, {0, 0}}, Initializers.identity().init(new long[] {3, 2},
                DataType.FLOAT).castTo(DataType.DOUBLE).toDoubleMatrix());
        for (long[] shape : new long[][] {{3}, {2, 2, 2}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Initializers.identity().init(shape, DataType.FLOAT));
            assertEquals("Initializers.identity: Identity matrix initializer can only be used for 2D matrices. Received: "
                    + "shape=" + java.util.Arrays.toString(shape) + " of rank " + shape.length + ".", e.getMessage());
        }
    }

    @Test
    void seededNewInitializersRepeat() {
        for (java.util.function.LongFunction<Initializer> make : List.<java.util.function.LongFunction<Initializer>>of(
                seed -> Initializers.truncatedNormal(0, 1, seed), seed -> Initializers.orthogonal(1, seed))) {
            Initializer seeded = make.apply(42);
            INDArray first = seeded.init(new long[] {6, 4}, DataType.FLOAT);
            assertEquals(first, seeded.init(new long[] {6, 4}, DataType.FLOAT));
            assertEquals(first, make.apply(42).init(new long[] {6, 4}, DataType.FLOAT));
            assertNotEquals(first, make.apply(43).init(new long[] {6, 4}, DataType.FLOAT));
        }
        Initializer unseeded = Initializers.orthogonal();
        Seeds.set(3);
        INDArray a = unseeded.init(new long[] {4, 4}, DataType.FLOAT);
        assertNotEquals(a, unseeded.init(new long[] {4, 4}, DataType.FLOAT));
        Seeds.set(3);
        assertEquals(a, unseeded.init(new long[] {4, 4}, DataType.FLOAT));
    }
}
