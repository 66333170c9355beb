package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where ND4J departs from NumPy on special values (it drops NaN in maximum, minimum, clip, max/min reductions and
 * sign; its float32 tanh rounds small inputs to 0; its sums keep -0.0 for some ranks), grad4j gives NumPy's values
 * on both paths. Expected values are NumPy 2's (float32); each case runs on a small tensor (Java loops) and on a
 * large one (ND4J, more than {@link Kernels#READ_LIMIT} elements: the values, then filler).
 */
class SpecialValuesLikeNumpyTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final int LARGE = 2 * Kernels.SMALL;

    /** The values alone (small-backed), or followed by ones up to a large ND4J-backed vector. */
    private static Tensor vector(boolean large, float... values) {
        if (!large) {
            return Tensor.of(values);
        }
        float[] all = new float[LARGE];
        java.util.Arrays.fill(all, 1f);
        System.arraycopy(values, 0, all, 0, values.length);
        Tensor t = Tensor.of(Nd4j.create(all, new long[] {LARGE}, 'c'));
        assertFalse(Kernels.fits(t));
        return t;
    }

    /** {@code f} on both paths: the first {@code expected.length} results must be NumPy's, bit for bit. */
    private static void assertNumpy(String what, Function<Boolean, Tensor> f, float... expected) {
        for (boolean large : new boolean[] {false, true}) {
            float[] actual = f.apply(large).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertTrue(TwoPaths.same(expected[i], actual[i]), what + (large ? " (ND4J)" : " (Java)") + " at " + i
                        + ": expected " + TwoPaths.show(expected[i]) + ", got " + TwoPaths.show(actual[i]));
            }
        }
    }

    @Test
    void maximumAndMinimumKeepNanFromEitherSide() {
        // np.maximum([nan, 0, 1, -0.], [0, nan, 2, 0.]) and np.minimum
        float[] a = {NAN, 0f, 1f, -0f, 0f};
        float[] b = {0f, NAN, 2f, 0f, -0f};
        assertNumpy("maximum", large -> vector(large, a).maximum(vector(large, b)), NAN, NAN, 2f, 0f, -0f);
        assertNumpy("minimum", large -> vector(large, a).minimum(vector(large, b)), NAN, NAN, 1f, 0f, -0f);
        // broadcasting a NaN scalar
        assertNumpy("maximum with a NaN scalar", large -> Tensor.scalar(NAN).maximum(vector(large, 1f, -INF)), NAN, NAN);
        assertNumpy("relu", large -> vector(large, NAN, -0f, -INF, 3f).relu(), NAN, -0f, 0f, 3f);
    }

    @Test
    void maxAndMinReductionsKeepNan() {
        // np.max([[1, nan], [2, 3]], axis=1) -> [nan, 3]; np.max of the whole -> nan
        for (boolean large : new boolean[] {false, true}) {
            int rows = large ? LARGE / 2 : 2;
            float[] v = new float[rows * 2];
            java.util.Arrays.fill(v, 1f);
            System.arraycopy(new float[] {1f, NAN, 2f, 3f}, 0, v, 0, 4);
            Tensor x = large ? Tensor.of(Nd4j.create(v, new long[] {rows, 2}, 'c')) : Tensor.of(v, rows, 2);
            float[] max = x.max(false, 1).toFloatArray();
            float[] min = x.min(false, -1).toFloatArray();
            assertTrue(Float.isNaN(max[0]) && max[1] == 3f, "max axis 1: " + max[0] + ", " + max[1]);
            assertTrue(Float.isNaN(min[0]) && min[1] == 2f, "min axis 1: " + min[0] + ", " + min[1]);
            assertTrue(Float.isNaN(x.max().item()), "max() of a tensor holding NaN");
            assertTrue(Float.isNaN(x.min(true).item()), "min(true) of a tensor holding NaN");
            assertTrue(Float.isNaN(x.max(false, 0).toFloatArray()[1]), "max axis 0, column with NaN");
        }
    }

    @Test
    void aNanMaximumSendsItsGradientToTheNanElements() {
        // PyTorch's amax: the gradient of a NaN maximum is shared by the NaN elements
        Tensor x = Tensor.of(Nd4j.createFromArray(1.0, Double.NaN, 3.0, Double.NaN)).requiresGrad(true);
        x.max().backward();
        assertEquals(java.util.List.of(0.0, 0.5, 0.0, 0.5), java.util.Arrays.stream(x.grad().toDoubleArray()).boxed().toList());
    }

    @Test
    void clipKeepsNanAndTheBitsOfValuesInside() {
        // np.clip([nan, -0., 5, -5, inf], 0, 1) -> [nan, -0., 1, 0, 1]; np.clip(-0., 0, 0) -> -0.
        assertNumpy("clip", large -> vector(large, NAN, -0f, 5f, -5f, INF).clip(0, 1), NAN, -0f, 1f, 0f, 1f);
        assertNumpy("clip to a point", large -> vector(large, NAN, -0f, 5f).clip(0, 0), NAN, -0f, 0f);
        assertNumpy("hardSigmoid", large -> vector(large, NAN, -INF, INF).hardSigmoid(), NAN, 0f, 1f);
    }

    @Test
    void tanhOfSmallInputsIsNotZero() {
        // np.tanh(np.float32([1e-45, -1e-45, 1e-7, 1e-3, 1e-5]))
        assertNumpy("tanh", large -> vector(large, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-7f, 1e-3f, 1e-5f).tanh(),
                Float.MIN_VALUE, -Float.MIN_VALUE, 1e-7f, 9.999997e-4f, 1e-5f);
        // against Java's tanh over many magnitudes: within one ulp (the formula rounds once from double)
        float[] x = new float[600];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((i % 2 == 0 ? 1 : -1) * Math.pow(10, -40 + i * 0.08));
        }
        for (boolean large : new boolean[] {false, true}) {
            float[] y = vector(large, x).tanh().toFloatArray();
            for (int i = 0; i < x.length; i++) {
                float exact = (float) StrictMath.tanh(x[i]);
                assertTrue(Math.abs(y[i] - exact) <= Math.ulp(exact), "tanh(" + x[i] + ") = " + y[i] + ", exact " + exact);
            }
        }
    }

    @Test
    void absHasNumpysSignAsItsGradient() {
        // np.sign([nan, -0., 0., -2]) -> [nan, 0, 0, -1]
        for (boolean large : new boolean[] {false, true}) {
            Tensor x = vector(large, NAN, -0f, 0f, -2f).requiresGrad(true);
            x.abs().sum(false, 0).backward();
            float[] g = x.grad().toFloatArray();
            assertTrue(Float.isNaN(g[0]), "the gradient of abs at NaN is NaN");
            assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(g[1]), "at -0.0: +0.0");
            assertEquals(0f, g[2]);
            assertEquals(-1f, g[3]);
        }
    }

    @Test
    void powFollowsCsPowNotJavas() {
        // np.power([1, 1, -1, nan], [nan, inf, -inf, 0]) -> [1, 1, 1, 1]
        assertNumpy("pow(NaN)", large -> vector(large, 1f, NAN).pow(Double.NaN), 1f, NAN);
        assertNumpy("pow(Inf)", large -> vector(large, 1f, -1f, 2f).pow(Double.POSITIVE_INFINITY), 1f, 1f, INF);
        assertNumpy("pow(0)", large -> vector(large, NAN, INF).pow(0), 1f, 1f);
    }

    @Test
    void sumsOfSingleElementsAddToZero() {
        // np.sum([[-0.]], axis=1) -> [0.]: NumPy adds to 0, so -0.0 becomes 0.0 (ND4J kept -0.0 for rank 2)
        Tensor column = Tensor.of(Nd4j.create(DataType.FLOAT, LARGE, 1).assign(-0.0));
        Tensor row = Tensor.of(Nd4j.create(DataType.FLOAT, 1, LARGE).assign(-0.0));
        float[][] results = {column.sum(false, 1).toFloatArray(), column.mean(true, 1).toFloatArray(),
            row.sumToShape(LARGE).toFloatArray(), row.sum(false, 0).toFloatArray(),
            Tensor.of(new float[] {-0f, -0f}, 2, 1).sum(false, 1).toFloatArray(),
            Tensor.of(new float[] {-0f, -0f}, 1, 2).sumToShape(2).toFloatArray()};
        for (float[] r : results) {
            assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(r[0]), "a sum of -0.0 alone is +0.0");
        }
    }

    @Test
    void anUnderflowingProductIsPlusZeroAsInBlas() {
        // np.float32([[1e-45]]) @ np.float32([[-1e-45]]) -> [[0.]]
        float p = Tensor.of(new float[] {Float.MIN_VALUE}, 1, 1).matmul(Tensor.of(new float[] {-Float.MIN_VALUE}, 1, 1)).item();
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(p));
    }
}
