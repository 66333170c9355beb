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
                + "he_uniform, lecun_normal, lecun_uniform, random_normal, random_uniform, zeros, ones)", e.getMessage());
    }

    @Test
    void serializedFormRoundTrips() {
        assertEquals(Map.of("class_name", "GlorotUniform", "config", java.util.Collections.singletonMap("seed", null)),
                Initializers.serialize(Initializers.glorotUniform()));
        assertEquals(Map.of("class_name", "RandomNormal", "config", Map.of("mean", 0.5, "stddev", 2.0, "seed", 3L)),
                Initializers.serialize(Initializers.randomNormal(0.5, 2.0, 3)));
        for (Initializer init : List.of(Initializers.glorotUniform(1), Initializers.glorotNormal(), Initializers.heNormal(2),
                Initializers.heUniform(), Initializers.lecunNormal(3), Initializers.lecunUniform(), Initializers.randomNormal(),
                Initializers.randomUniform(-1, 2, 5), Initializers.zeros(), Initializers.ones(), Initializers.constant(0.25))) {
            Initializer back = Initializers.deserialize(Initializers.serialize(init));
            assertEquals(Initializers.serialize(init), Initializers.serialize(back));
            assertEquals(init, back);
        }
        assertThrows(IllegalArgumentException.class, () -> Initializers.randomUniform(1, 0));
    }
}
